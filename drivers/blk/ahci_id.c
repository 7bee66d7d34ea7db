/* IDENTIFY DEVICE's answer read (ahci.h), plain C, tested on the host. */
#include <string.h>

#include <drivers/blk/ahci.h>
#include <drivers/blk/ahci_regs.h>

/* Each word's two bytes swapped (ATA strings put the first character in
 * the high byte), trailing spaces and NULs cut. */
static void id_string(const uint16_t *id, unsigned word, unsigned bytes, char *out)
{
	for (unsigned i = 0; i < bytes / 2; i++) {
		out[2 * i] = (char)(id[word + i] >> 8);
		out[2 * i + 1] = (char)id[word + i];
	}
	out[bytes] = 0;
	for (unsigned i = bytes; i && (out[i - 1] == ' ' || !out[i - 1]); i--)
		out[i - 1] = 0;
}

void ahci_id_parse(const uint16_t *id, struct ahci_id *out)
{
	memset(out, 0, sizeof(*out));
	id_string(id, ATA_ID_SERIAL, ATA_ID_SERIAL_BYTES, out->serial);
	/* As the device pads it, for the scratch rule. */
	for (unsigned i = 0; i < ATA_ID_SERIAL_BYTES / 2; i++) {
		out->serial_raw[2 * i] = (char)(id[ATA_ID_SERIAL + i] >> 8);
		out->serial_raw[2 * i + 1] = (char)id[ATA_ID_SERIAL + i];
	}
	id_string(id, ATA_ID_MODEL, ATA_ID_MODEL_BYTES, out->model);
	out->lba48 = (id[ATA_ID_CMDSET2] & ATA_ID_LBA48_SUPPORTED) != 0;
	if (out->lba48)
		for (unsigned i = 0; i < 4; i++)
			out->sectors |= (uint64_t)id[ATA_ID_LBA48 + i] << (16 * i);
	else
		out->sectors = id[ATA_ID_LBA28] | (uint32_t)id[ATA_ID_LBA28 + 1] << 16;
	/* Word 76 all ones or zero: not a SATA device's answer. */
	uint16_t sata = id[ATA_ID_SATA_CAP];
	out->ncq = sata != 0xffff && (sata & ATA_ID_SATA_NCQ);
	out->queue_depth = out->ncq ? (id[ATA_ID_QUEUE_DEPTH] & 0x1f) + 1u : 1;
}
