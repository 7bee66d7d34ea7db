#include <stdint.h>
#include <string.h>

#include <vmb/acpi_s5.h>

#include "check.h"

int main(void)
{
	uint8_t a = 0xee, b = 0xee;

	/* QEMU's DSDT: Name (_S5, Package (0x04) { Zero, Zero, Zero, Zero }) */
	const uint8_t qemu[] = { 0x10, 0x20, 0x08, '_',	 'S',  '5',  '_',
				 0x12, 0x06, 0x04, 0x00, 0x00, 0x00, 0x00 };
	CHECK_EQ_U(acpi_s5_sleep_type(qemu, sizeof(qemu), &a, &b), 0);
	CHECK_EQ_U(a, 0);
	CHECK_EQ_U(b, 0);

	/* Byte-prefixed values, a root prefix, a two-byte package length. */
	const uint8_t intel[] = { 0x08, '\\', '_',  'S',  '5',	'_',  0x12, 0x40,
				  0x0a, 0x04, 0x0a, 0x07, 0x0a, 0x07, 0x00, 0x00 };
	CHECK_EQ_U(acpi_s5_sleep_type(intel, sizeof(intel), &a, &b), 0);
	CHECK_EQ_U(a, 7);
	CHECK_EQ_U(b, 7);

	/* One element only: b takes a's value. */
	const uint8_t one[] = { 0x08, '_', 'S', '5', '_', 0x12, 0x03, 0x01, 0x0a, 0x05 };
	CHECK_EQ_U(acpi_s5_sleep_type(one, sizeof(one), &a, &b), 0);
	CHECK_EQ_U(a, 5);
	CHECK_EQ_U(b, 5);

	/* A method or a reference named _S5_ is not the package. */
	const uint8_t method[] = { 0x14, '_', 'S', '5', '_', 0x00, 0xa4, 0x00 };
	CHECK(acpi_s5_sleep_type(method, sizeof(method), &a, &b) != 0);

	/* Truncated at every length: never found, never out of bounds (ASan). */
	int found = 0;
	for (size_t n = 0; n < sizeof(qemu) - 4; n++)
		found += acpi_s5_sleep_type(qemu, n, &a, &b) == 0;
	CHECK_EQ_U(found, 0);
	CHECK(acpi_s5_sleep_type(NULL, 0, &a, &b) != 0);
	return check_report("acpi_s5");
}
