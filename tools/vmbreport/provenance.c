/* A log's provenance: one table of keys serves the text and JSON forms. */
#include "provenance.h"

/* host_kernel is the machine that ran the emulator, lab_kernel the lab's
 * host (KVM's) or dom0's. */
const struct provenance_group provenance_groups[] = {
	{ "image", false, { "build", "build_flags", "version", "cmdline", "boot", NULL } },
	{ "cpu", true, { "arch", "cpu", "cpuid", "microcode", "emulated", NULL } },
	{ "firmware",
	  true,
	  { "fw_vendor", "fw_version", "fw_date", "smbios", "uefi_vendor", "uefi_revision",
	    NULL } },
	{ "system", true, { "sys_vendor", "sys_product", "dt_compatible", "platform", NULL } },
	{ "hypervisor",
	  false,
	  { "mode", "hypervisor", "xen_version", "xen_role", "counter", NULL } },
	{ "host",
	  false,
	  { "target", "qemu", "bochs", "host_kernel", "lab_kernel", "lab_qemu", NULL } },
};
const unsigned n_provenance_groups = sizeof(provenance_groups) / sizeof(provenance_groups[0]);

void print_provenance(FILE *out, const struct vmb_log *log)
{
	fprintf(out, "provenance:\n");
	for (unsigned g = 0; g < n_provenance_groups; g++) {
		const struct provenance_group *pg = &provenance_groups[g];
		const char *sep = "";
		for (unsigned k = 0; pg->keys[k]; k++) {
			const char *v = vmb_log_provenance(log, pg->keys[k]);
			/* hypervisor is "" natively: nothing to say. */
			if (!v || !*v)
				continue;
			if (!*sep)
				fprintf(out, "  %-11s", pg->label);
			fprintf(out, "%s%s=%s", sep, pg->keys[k], v);
			sep = "; ";
		}
		if (*sep)
			fprintf(out, "\n");
	}
}

cJSON *provenance_json(const struct vmb_log *log)
{
	cJSON *o = cJSON_CreateObject();

	for (unsigned g = 0; g < n_provenance_groups; g++)
		for (unsigned k = 0; provenance_groups[g].keys[k]; k++) {
			const char *key = provenance_groups[g].keys[k];
			const char *v = vmb_log_provenance(log, key);
			if (v)
				cJSON_AddStringToObject(o, key, v);
		}
	return o;
}
