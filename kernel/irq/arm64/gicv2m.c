/*
 * PCI MSIs through a GICv2m frame (Arm's "GICv2m" in the SBSA and the
 * Linux binding arm,gic-v2m-frame): a device's write of an SPI number to
 * the frame's MSI_SETSPI_NS raises that SPI. The frame owns a range of
 * SPIs, which its MSI_TYPER or the firmware names; each MSI takes the
 * next, edge-triggered and routed to the CPU that asks (the boot CPU),
 * once a write of it from the CPU has arrived.
 */
#include <stdio.h>

#include <kernel/irq/arm64/gic.h>
#include <arch/mmio.h>
#include <vmb/arch.h>
#include <vmb/fwinfo.h>
#include <vmb/irq.h>

#define MSI_TYPER 0x008
#define MSI_SETSPI_NS 0x040
#define SELF_TEST_MS 100

static struct v2m_frame {
	uint64_t base;
	unsigned first, count, used;
	bool tried;
	char why[128];
} v2m;

void gicv2m_describe(const struct fw_info *fw)
{
	v2m = (struct v2m_frame){ .base = fw->gic_v2m_base };
	if (fw_gic_spi_range(fw->gic_v2m_spi_base, fw->gic_v2m_spi_count)) {
		v2m.first = fw->gic_v2m_spi_base;
		v2m.count = fw->gic_v2m_spi_count;
	}
}

bool gicv2m_present(void)
{
	return v2m.base != 0;
}

/* The SPI range from MSI_TYPER (base in bits 25:16, count in 9:0)
 * unless the firmware named one. */
static void probe_frame(void)
{
	uint32_t typer;

	if (v2m.count)
		return;
	if (!arm64_probe32(v2m.base + MSI_TYPER, &typer)) {
		snprintf(v2m.why, sizeof(v2m.why), "GICv2m frame at %#llx not accessible",
			 (unsigned long long)v2m.base);
		return;
	}
	unsigned first = typer >> 16 & 0x3ff, count = typer & 0x3ff;
	if (!fw_gic_spi_range(first, count)) {
		snprintf(v2m.why, sizeof(v2m.why),
			 "GICv2m frame at %#llx names SPIs %u..+%u, not a valid range",
			 (unsigned long long)v2m.base, first, count);
		return;
	}
	v2m.first = first;
	v2m.count = count;
}

static bool write_spi(void *arg)
{
	mmio_write32(v2m.base + MSI_SETSPI_NS, *(const unsigned *)arg);
	return true;
}

/* The frame tried from the CPU, as a device would write it: the SPI must
 * reach its handler here. */
static bool self_test(unsigned spi)
{
	if (gic_irq_arrives(spi, write_spi, &spi, SELF_TEST_MS))
		return true;
	snprintf(v2m.why, sizeof(v2m.why),
		 "GICv2m frame at %#llx: SPI %u written to MSI_SETSPI_NS did not arrive "
		 "within %u ms",
		 (unsigned long long)v2m.base, spi, SELF_TEST_MS);
	return false;
}

bool gicv2m_route(struct msi_route *r, char *why, size_t len)
{
	if (!v2m.tried) {
		v2m.tried = true;
		probe_frame();
	}
	if (!v2m.count) {
		snprintf(why, len, "%s", v2m.why);
		return false;
	}
	if (v2m.used >= v2m.count) {
		snprintf(why, len, "all %u SPIs of the GICv2m frame are taken", v2m.count);
		return false;
	}
	unsigned spi = v2m.first + v2m.used;
	irqchip->enable(spi, false);
	gic_spi_set_trigger(spi, true);
	irqchip->enable(spi, true);
	if (!self_test(spi)) {
		irqchip->enable(spi, false);
		snprintf(why, len, "%s", v2m.why);
		return false;
	}
	v2m.used++;
	r->irq = spi;
	r->addr = v2m.base + MSI_SETSPI_NS;
	r->data = spi;
	r->via = "GICv2m SPI";
	return true;
}
