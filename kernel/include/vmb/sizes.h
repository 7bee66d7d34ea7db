/* Sizes, written once: page-table block sizes and the like. */
#ifndef VMB_SIZES_H
#define VMB_SIZES_H

#define SZ_2M (2ull << 20)
#define SZ_1G (1ull << 30)
#define SZ_512G (512ull << 30)

#endif
