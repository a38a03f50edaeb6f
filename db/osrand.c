/* osrand: see osrand.h. */
#include "db/osrand.h"

#include <errno.h>
#include <sys/random.h>
#include <sys/types.h>

bool os_random_bytes(uint8_t *buf, size_t n)
{
    size_t got = 0;
    while (got < n) {
        ssize_t r = getrandom(buf + got, n - got, 0);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        got += (size_t)r;
    }
    return true;
}
