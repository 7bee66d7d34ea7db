/*
 * The result protocol's version (docs/protocol.md): the image writes it
 * in its boot record, the host's reader knows the versions up to it.
 * 3: every record sealed with its CRC-32 ("crc", <vmb/crc32.h>).
 * 4: "hist" records, a result's whole distribution (hist=1, <vmb/hist.h>).
 */
#ifndef VMB_PROTOCOL_H
#define VMB_PROTOCOL_H

#define VMB_PROTOCOL 4

#endif
