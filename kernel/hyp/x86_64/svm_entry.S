/*
 * The image's own SVM hypervisor's run loop (arch/svm.h). VMRUN keeps the
 * host's RAX, RSP and RIP; every other general register is the guest's
 * after #VMEXIT, so the paths that return to the guest at once touch none
 * of them: the null VMMCALL (the measured round trip) and CPUID (whose
 * results are the guest's registers anyway) work on the VMCB in memory.
 * GIF is clear after #VMEXIT; the host sets it only where it must take an
 * interrupt, and before it returns.
 */
#include <arch/hv_gprs.h>
#include <arch/svm.h>

	.text
/* void svm_run(struct svm_vcpu *first, struct svm_exit *exit) */
	.globl	svm_run
svm_run:
	HOST_PUSH
	push	%rsi			/* the exit record, at 0(%rsp) */
	mov	%rdi, svm_current(%rip)
	mov	%rdi, %rax
	LOAD_GPRS %rax
	mov	SVM_VCPU_VMCB(%rax), %rax
run:
	vmrun	%rax
	cmpq	$SVM_EXIT_VMMCALL, VMCB_EXITCODE(%rax)
	jne	not_vmmcall
	cmpq	$HV_CALL_NULL, VMCB_RAX(%rax)
	jne	not_null
	addq	$3, VMCB_RIP(%rax)
	jmp	run
not_null:
	cmpq	$HV_CALL_SWITCH, VMCB_RAX(%rax)
	jne	not_switch
	/* KVM's shape: the guest's GPRs and VMSAVE state out, the next
	 * guest's in, VMRUN on its VMCB. */
	addq	$3, VMCB_RIP(%rax)
	vmsave	%rax
	mov	svm_current(%rip), %rax
	SAVE_GPRS %rax
	incq	svm_switches(%rip)
	mov	SVM_VCPU_NEXT(%rax), %rax
	mov	%rax, svm_current(%rip)
	LOAD_GPRS %rax
	mov	SVM_VCPU_VMCB(%rax), %rax
	vmload	%rax
	jmp	run
not_switch:
	cmpq	$HV_CALL_EXIT, VMCB_RAX(%rax)
	jne	unexpected
	mov	(%rsp), %rcx
	mov	%rdi, SVM_EXIT_RESULT(%rcx)
	movq	$0, SVM_EXIT_FAULT(%rcx)
	jmp	out
not_vmmcall:
	cmpq	$SVM_EXIT_CPUID, VMCB_EXITCODE(%rax)
	jne	not_cpuid
	/* The guest's leaf in the VMCB, its subleaf in ECX: the answer goes
	 * to its EAX (in the VMCB), EBX, ECX and EDX. */
	push	%rax
	mov	VMCB_RAX(%rax), %rax
	cpuid
	xchg	%rax, (%rsp)
	popq	VMCB_RAX(%rax)
	addq	$2, VMCB_RIP(%rax)
	jmp	run
not_cpuid:
	cmpq	$SVM_EXIT_INTR, VMCB_EXITCODE(%rax)
	je	host_irq
	cmpq	$SVM_EXIT_NMI, VMCB_EXITCODE(%rax)
	jne	unexpected
host_irq:
	/* The host takes its interrupt or NMI here (a watchdog may end the
	 * benchmark from it), then the guest goes on. */
	stgi
	jmp	run
unexpected:
	mov	(%rsp), %rcx
	mov	VMCB_EXITCODE(%rax), %rdx
	mov	%rdx, SVM_EXIT_CODE(%rcx)
	mov	VMCB_EXITINFO1(%rax), %rdx
	mov	%rdx, SVM_EXIT_INFO1(%rcx)
	mov	VMCB_RIP(%rax), %rdx
	mov	%rdx, SVM_EXIT_RIP(%rcx)
	movq	$1, SVM_EXIT_FAULT(%rcx)
out:
	stgi
	add	$8, %rsp
	HOST_POP
	ret

/* The first guest's entry: fn (RSI) of arg (RDI), as svm_run's LOAD_GPRS
 * left them; its result goes back in RDI. */
	.globl	svm_guest_entry
svm_guest_entry:
	call	*%rsi
	mov	%rax, %rdi
	mov	$HV_CALL_EXIT, %eax
	vmmcall
	ud2

	.data
	.align	8
/* The guest whose GPRs the CPU holds while one runs. */
	.globl	svm_current
svm_current:
	.quad	0
	.globl	svm_switches
svm_switches:
	.quad	0

	.section .note.GNU-stack, "", @progbits
