/* i18n: the screen's language flag (see i18n.h). */
#include "ui/i18n.h"

static bool lang_en;

void ui_set_en(bool en)
{
    lang_en = en;
}

bool ui_is_en(void)
{
    return lang_en;
}
