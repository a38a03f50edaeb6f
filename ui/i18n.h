/* i18n for the screens: labels live next to where they are drawn as L("合计", "Total") pairs
 * (a till has a few dozen labels; both languages side by side make a missing translation
 * obvious in review).  The language itself is the process-wide one of pos/app/i18n. */
#ifndef FUPIN_UI_I18N_H
#define FUPIN_UI_I18N_H

#include "pos/app/i18n.h"

#define L(zh, en) (i18n_is_en() ? (en) : (zh))

#endif
