#include <string.h>

#include <vmb/platform.h>

struct platform the_platform;

const char *mode_name(enum vmb_mode mode)
{
	switch (mode) {
	case MODE_NATIVE:
		return "native";
	case MODE_KVM:
		return "kvm";
	case MODE_XEN:
		return "xen";
	default:
		return "unknown";
	}
}
