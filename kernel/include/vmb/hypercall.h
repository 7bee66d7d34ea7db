/*
 * The null hypercall: the cheapest round trip to the hypervisor below,
 * two world switches and no work. Each way to reach one is a back-end of
 * the architecture's (kernel/arch/<arch>/hypercall.c), and the mode the
 * image runs in chooses one, once (hypercall_choose).
 */
#ifndef VMB_HYPERCALL_H
#define VMB_HYPERCALL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct platform;

struct hypercall_ops {
	/* Probe the call: name it in call, or say in why why it cannot be
	 * used here (no hypervisor, mechanism not found). */
	bool (*setup)(char *call, size_t call_len, char *why, size_t why_len);
	/* One call from here, which the harness brackets. */
	void (*call)(void);
	/* The image's own guest, where the harness cannot bracket each call:
	 * `batch` calls issued and timed in the guest, the benchmark
	 * counter's ticks, or UINT64_MAX and why when the guest faulted.
	 * NULL for a hypervisor below. */
	uint64_t (*batch)(uint32_t batch, char *why, size_t why_len);
};

/* The architecture's back-ends: a KVM guest's, a Xen guest's, and the
 * image's own hypervisor's natively. */
extern const struct hypercall_ops hypercall_kvm, hypercall_xen, hypercall_own;

/* Choose by p->mode; once, after the mode is known. */
void hypercall_choose(const struct platform *p);
/* The chosen back-end, or NULL and why there is none. */
const struct hypercall_ops *hypercall_backend(char *why, size_t why_len);

/* The image's own guest made to fault (fault=guest): false and the fault
 * in why, as the guest's exception came back to its hypervisor. */
bool hyp_guest_fault(char *why, size_t why_len);

#endif
