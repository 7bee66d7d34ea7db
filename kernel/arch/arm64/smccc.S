/*
 * struct smccc_res smccc_{hvc,smc}(fn, a1, a2, a3): the result struct is
 * returned through x8 (AAPCS64 indirect result). SMCCC 1.1 lets the
 * callee clobber x4-x17, all caller-saved in AAPCS64 anyway.
 */
	.text
.macro SMCCC_CALL name, insn
	.globl	\name
\name:
	\insn	#0
	stp	x0, x1, [x8]
	stp	x2, x3, [x8, #16]
	ret
.endm
	SMCCC_CALL smccc_hvc, hvc
	SMCCC_CALL smccc_smc, smc

	.section .note.GNU-stack, "", @progbits
