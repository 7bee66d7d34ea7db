/* Xen hypercalls on arm64: HVC #0xEA1, call number in x16, arguments in x0-x2. */
#include <vmb/xen.h>

bool arm64_xen_present;

long arch_xen_hypercall(unsigned nr, unsigned long a1, unsigned long a2, unsigned long a3)
{
	register unsigned long x0 __asm__("x0") = a1;
	register unsigned long x1 __asm__("x1") = a2;
	register unsigned long x2 __asm__("x2") = a3;
	register unsigned long x16 __asm__("x16") = nr;

	if (!arm64_xen_present)
		return -38;
	__asm__ volatile("hvc #0xEA1" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x16)::"memory");
	return (long)x0;
}
