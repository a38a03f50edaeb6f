/* i18n for the screens: labels live next to where they are drawn as L("合计", "Total") pairs
 * (a till has a few dozen labels; both languages side by side make a missing translation
 * obvious in review).  The language is the screen's own flag, set by the app when it opens
 * the screen (ui/ knows nothing of pos/app). */
#ifndef FUPIN_UI_I18N_H
#define FUPIN_UI_I18N_H

#include <stdbool.h>

void ui_set_en(bool en);
bool ui_is_en(void);

#define L(zh, en) (ui_is_en() ? (en) : (zh))

#endif
