/* sale_screen: draws the cashier's sale screen from its view (ui/view.h), filled by the app.
 * Pure drawing: it reads the view and emits draw calls; the only state it keeps is the
 * table's scroll position (the caller's), which depends on how many rows fit. */
#ifndef FUPIN_UI_SALE_SCREEN_H
#define FUPIN_UI_SALE_SCREEN_H

#include <stddef.h>

#include "ui/draw.h"
#include "ui/view.h"

void sale_screen_draw(const draw_ctx *d, const sale_view *v, size_t *scroll);

#endif
