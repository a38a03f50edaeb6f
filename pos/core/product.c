/* product: see product.h. */
#include "pos/core/product.h"

#include <string.h>

bool product_poverty_relief_on(const product *p, const char *day)
{
    if (!p->poverty_relief)
        return false;
    /* ISO dates compare correctly as strings. */
    return p->cert_valid_to[0] == '\0' || strcmp(day, p->cert_valid_to) <= 0;
}
