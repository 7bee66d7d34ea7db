/*
 * The image's own VMX hypervisor's run loop (arch/vmx.h). A VM exit gives
 * the host its RSP and RIP from the VMCS and leaves every general register
 * the guest's. The paths that return to the guest at once (the null
 * VMCALL, the measured round trip, and CPUID) borrow RAX and RDX on the
 * host's stack and nothing else. RFLAGS is 0x2 after an exit: the host
 * opens a window for an interrupt only where one made the guest exit.
 */
#include <arch/hv_gprs.h>
#include <arch/vmx.h>

/* Enter the vcpu at RAX, whose VMCS is current: VMLAUNCH the first time,
 * VMRESUME after. Falls through when the CPU refused. */
.macro ENTER
	cmpq	$0, VMX_VCPU_LAUNCHED(%rax)
	movq	$1, VMX_VCPU_LAUNCHED(%rax)
	LOAD_GPRS %rax
	mov	VMX_VCPU_RAX(%rax), %rax
	jne	1f
	vmlaunch
	jmp	entry_failed
1:	vmresume
	jmp	entry_failed
.endm

	.text
/* void vmx_run(struct vmx_vcpu *first, struct vmx_exit *exit): the
 * first guest's VMCS is current. */
	.globl	vmx_run
vmx_run:
	HOST_PUSH
	push	%rsi			/* the exit record, at 0(%rsp) */
	mov	%rdi, vmx_current(%rip)
	mov	$VMCS_HOST_RSP, %edx
	vmwrite	%rsp, %rdx
	lea	vmx_exit_entry(%rip), %rcx
	mov	$VMCS_HOST_RIP, %edx
	vmwrite	%rcx, %rdx
	mov	%rdi, %rax
	ENTER

/* The host's RIP on every exit; RSP points at the exit record. */
vmx_exit_entry:
	push	%rax
	push	%rdx
	mov	$VMCS_EXIT_REASON, %eax
	vmread	%rax, %rdx
	cmp	$VMX_EXIT_VMCALL, %edx
	jne	not_vmcall
	cmpq	$HV_CALL_NULL, 8(%rsp)
	jne	not_null
	mov	$VMCS_GUEST_RIP, %eax
	vmread	%rax, %rdx
	add	$3, %rdx
	vmwrite	%rdx, %rax
	/* The measured round trip: its own tail, no jump to the shared one. */
	pop	%rdx
	pop	%rax
	vmresume
	jmp	entry_failed
not_null:
	cmpq	$HV_CALL_SWITCH, 8(%rsp)
	jne	not_switch
	/* KVM's shape: the guest's GPRs out, the other's in, VMPTRLD of its
	 * VMCS, whose host RSP is this one too, then VM entry. */
	mov	$VMCS_GUEST_RIP, %eax
	vmread	%rax, %rdx
	add	$3, %rdx
	vmwrite	%rdx, %rax
	pop	%rdx
	mov	vmx_current(%rip), %rax
	SAVE_GPRS %rax
	popq	VMX_VCPU_RAX(%rax)
	incq	vmx_switches(%rip)
	mov	VMX_VCPU_NEXT(%rax), %rax
	mov	%rax, vmx_current(%rip)
	vmptrld	VMX_VCPU_VMCS(%rax)
	mov	$VMCS_HOST_RSP, %edx
	vmwrite	%rsp, %rdx
	lea	vmx_exit_entry(%rip), %rcx
	mov	$VMCS_HOST_RIP, %edx
	vmwrite	%rcx, %rdx
	ENTER
not_switch:
	cmpq	$HV_CALL_EXIT, 8(%rsp)
	jne	unexpected
	mov	16(%rsp), %rcx
	mov	%rdi, VMX_EXIT_RESULT(%rcx)
	movq	$0, VMX_EXIT_FAULT(%rcx)
	jmp	out
not_vmcall:
	cmp	$VMX_EXIT_CPUID, %edx
	jne	not_cpuid
	/* The guest's EAX and ECX are the leaf and subleaf once RAX and RDX
	 * are back; the answer lands in its EAX, EBX, ECX and EDX. */
	mov	$VMCS_GUEST_RIP, %eax
	vmread	%rax, %rdx
	add	$2, %rdx
	vmwrite	%rdx, %rax
	pop	%rdx
	pop	%rax
	cpuid
	vmresume
	jmp	entry_failed
not_cpuid:
	cmp	$VMX_EXIT_EXTINT, %edx
	jne	not_extint
	/* The interrupt is the host's: let it in, then back to the guest. */
	sti
	nop
	cli
	jmp	resume
not_extint:
	cmp	$VMX_EXIT_EXCEPTION_NMI, %edx
	jne	unexpected
	mov	$VMCS_EXIT_INTR_INFO, %eax
	vmread	%rax, %rdx
	and	$0x7ff, %edx		/* type and vector */
	cmp	$0x202, %edx		/* an NMI */
	jne	unexpected
	/* Consumed by the exit: give it to the host's own handler. */
	int	$2
resume:
	pop	%rdx
	pop	%rax
	vmresume
	jmp	entry_failed
unexpected:
	mov	16(%rsp), %rcx
	mov	$VMCS_EXIT_REASON, %eax
	vmread	%rax, %rdx
	mov	%rdx, VMX_EXIT_REASON_OFF(%rcx)
	mov	$VMCS_EXIT_QUALIFICATION, %eax
	vmread	%rax, %rdx
	mov	%rdx, VMX_EXIT_QUAL(%rcx)
	mov	$VMCS_GUEST_RIP, %eax
	vmread	%rax, %rdx
	mov	%rdx, VMX_EXIT_RIP(%rcx)
	mov	$VMCS_EXIT_INTR_INFO, %eax
	vmread	%rax, %rdx
	mov	%rdx, VMX_EXIT_INFO(%rcx)
	movq	$1, VMX_EXIT_FAULT(%rcx)
out:
	add	$16, %rsp
	jmp	done

/* VMLAUNCH or VMRESUME fell through: the VM-instruction error says why
 * (none when no VMCS was current). */
entry_failed:
	mov	(%rsp), %rcx
	movq	$2, VMX_EXIT_FAULT(%rcx)
	mov	$VMCS_INSN_ERROR, %eax
	vmread	%rax, %rdx
	mov	%rdx, VMX_EXIT_INSN_ERROR(%rcx)
done:
	add	$8, %rsp
	HOST_POP
	ret

/* The first guest's entry: fn (RSI) of arg (RDI), as ENTER left them;
 * its result goes back in RDI. */
	.globl	vmx_guest_entry
vmx_guest_entry:
	call	*%rsi
	mov	%rax, %rdi
	mov	$HV_CALL_EXIT, %eax
	vmcall
	ud2

	.data
	.align	8
	.globl	vmx_current
vmx_current:
	.quad	0
	.globl	vmx_switches
vmx_switches:
	.quad	0

	.section .note.GNU-stack, "", @progbits
