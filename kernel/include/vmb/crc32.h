/*
 * CRC-32 as IEEE 802.3 and zlib define it (reflected 0xedb88320, all ones
 * in and out): each record's checksum in the result protocol
 * (docs/protocol.md), which the image writes and the host's reader checks
 * with this same function. Bit by bit: records are short and few.
 */
#ifndef VMB_CRC32_H
#define VMB_CRC32_H

#include <stddef.h>
#include <stdint.h>

static inline uint32_t vmb_crc32(const char *s, size_t n)
{
	uint32_t c = 0xffffffffu;

	for (size_t i = 0; i < n; i++) {
		c ^= (unsigned char)s[i];
		for (int k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1u)));
	}
	return ~c;
}

#endif
