/* sale_screen: draws the cashier's sale screen from the cashier state (and the till it holds).
 * Pure drawing: it reads state and emits draw calls; the only thing it writes back is the
 * table's scroll position, which depends on how many rows fit. */
#ifndef FUPIN_UI_SALE_SCREEN_H
#define FUPIN_UI_SALE_SCREEN_H

#include <stdbool.h>
#include <time.h>

#include "ui/cashier.h"
#include "ui/draw.h"

typedef struct {
    const char *scanner_state;   /* "键盘" … already localised */
    const char *scale_state;
    const char *printer_state;
    bool simulated;
} device_status;

void sale_screen_draw(const draw_ctx *d, cashier *c, const device_status *dev, time_t now);

#endif
