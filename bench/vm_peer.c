/*
 * The peer guest of vm_switch (options vm_peer=S): instead of running
 * benchmarks it waits for the measuring guest on the shared page, then,
 * each time the last stamp was seen, pairs its counter with the host's
 * clock, stamps, and sleeps until its timer fires (the CPU's wait for
 * interrupt, which the hypervisor turns into a descheduled vCPU): the
 * host has nothing else to run on that CPU but the measuring guest.
 */
#include <stdio.h>
#include <string.h>

#include <arch/counter.h>
#include <vmb/arch.h>
#include <vmb/irq.h>
#include <bench/pingpong.h>
#include <vmb/platform.h>
#include <vmb/report.h>

static volatile unsigned fired;

static void wake_handler(unsigned irq, void *arg)
{
	(void)irq, (void)arg;
	local_timer->cancel();
	fired++;
}

static void fail(volatile struct pingpong *pp, const char *why)
{
	report_error("vm_peer", "%s", why);
	if (!pp)
		return;
	size_t n = strlen(why) < sizeof(pp->why) - 1 ? strlen(why) : sizeof(pp->why) - 1;
	for (size_t i = 0; i < n; i++)
		pp->why[i] = why[i];
	pp->why[n] = 0;
	__atomic_store_n(&pp->state, PINGPONG_FAILED, __ATOMIC_RELEASE);
}

/* Whether the timer fires, sleep_ticks from now, polled for (not slept
 * on: a timer that never fires must not stop the peer for good). */
static bool timer_fires(uint64_t sleep_ticks)
{
	unsigned before = fired;
	uint64_t deadline = ref_now() + sleep_ticks;

	local_timer->arm(deadline);
	arch_irq_enable();
	while (fired == before && ref_now() < deadline + ref_ms(1000))
		arch_cpu_relax();
	arch_irq_disable();
	return fired != before;
}

static bool can_sleep;

/* Let `ticks` pass: asleep on the timer when it works, so that the peer
 * takes next to nothing from the CPU it shares with the measuring guest
 * while that one runs its other benchmarks. */
static void nap(uint64_t ticks)
{
	unsigned before = fired;
	uint64_t end = ref_now() + ticks;

	if (!can_sleep) {
		while (ref_now() < end)
			arch_cpu_relax();
		return;
	}
	local_timer->arm(end);
	while (fired == before)
		arch_wait_for_irq();
}

void vm_peer_run(uint32_t seconds)
{
	struct peer_page page;
	char why[160], no_sleep[160] = "";
	uint64_t t0 = ref_now(), limit = ref_ms(1000) * seconds;
	uint64_t hz = the_platform.ref_hz;
	uint64_t sleep = hz * PINGPONG_SLEEP_US / 1000000;

	if (!irqchip || !local_timer)
		snprintf(no_sleep, sizeof(no_sleep), "the peer has no %s to wake it: %s",
			 irqchip ? "local timer" : "interrupt controller", irq_why());
	if (!no_sleep[0]) {
		irq_register(local_timer->irq, wake_handler, NULL, false);
		irqchip->enable(local_timer->irq, true);
		if (!timer_fires(sleep))
			snprintf(no_sleep, sizeof(no_sleep), "the peer's %s interrupt never came",
				 local_timer->name);
	}
	can_sleep = !no_sleep[0];

	enum peer_page_found found;
	while ((found = peer_page_find(&page, true, why, sizeof(why))) == PEER_PAGE_NOT_YET) {
		if (ref_now() - t0 > limit)
			return fail(NULL, why);
		nap(ref_ms(PINGPONG_NAP_MS));
	}
	if (found != PEER_PAGE_FOUND)
		return fail(NULL, why);
	volatile struct pingpong *pp = (volatile struct pingpong *)(uintptr_t)page.base;
	report_info("vm_peer: the peer of vm_switch for at most %u s, through %s", seconds,
		    page.what);
	while (__atomic_load_n(&pp->magic, __ATOMIC_ACQUIRE) != PINGPONG_MAGIC ||
	       __atomic_load_n(&pp->state, __ATOMIC_ACQUIRE) != PINGPONG_READY) {
		if (ref_now() - t0 > limit)
			return fail(NULL, "no measuring guest put its page up in time");
		nap(ref_ms(PINGPONG_NAP_MS));
	}
	if (!can_sleep) /* said where the measuring guest reads it */
		return fail(pp, no_sleep);
	snprintf(why, sizeof(why), "sleeps to its %s irq +%uus", local_timer->name,
		 PINGPONG_SLEEP_US);
	for (size_t i = 0; i < sizeof(pp->how); i++)
		pp->how[i] = i < strlen(why) ? why[i] : 0;
	pp->ref_hz = hz;
	pp->seq = 0;
	__atomic_store_n(&pp->state, PINGPONG_JOINED, __ATOMIC_RELEASE);

	uint64_t given = 0;
	for (;;) {
		uint32_t state = __atomic_load_n(&pp->state, __ATOMIC_ACQUIRE);
		if (state == PINGPONG_DONE)
			break;
		if (ref_now() - t0 > limit) {
			fail(pp, "the peer's time (vm_peer=) ran out");
			break;
		}
		if (__atomic_load_n(&pp->ack, __ATOMIC_ACQUIRE) != given) {
			arch_cpu_relax();
			continue;
		}
		/* From here to the stamp this guest holds the CPU. */
		uint64_t go = ref_now(), host_ns, host_ref;
		unsigned before = fired;
		local_timer->arm(ref_now() + sleep);
		/* The pairing right before the stamp: arming the timer is an
		 * exit, at which the host may run the other guest for
		 * milliseconds, and a span that long converted with this
		 * guest's measured counter rate missed by more than the check
		 * allows (the x86 KVM lab refused figures: stamps "after" they
		 * were seen). */
		if (!arch_guests_clock(&host_ns, &host_ref, why, sizeof(why))) {
			fail(pp, why);
			break;
		}
		pp->host_ns = host_ns;
		pp->host_ref = host_ref;
		pp->go = go;
		pp->stamp = ref_now();
		__atomic_store_n(&pp->seq, ++given, __ATOMIC_RELEASE);
		while (fired == before)
			arch_wait_for_irq();
	}
	report_info("vm_peer: gave the CPU up %llu times; wake-ups before the halt: %lu",
		    (unsigned long long)given, irq_wakes_before_halt);
}
