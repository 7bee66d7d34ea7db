/* SMC Calling Convention calls through HVC or SMC. */
#ifndef ARCH_SMCCC_H
#define ARCH_SMCCC_H

#include <stdint.h>

struct smccc_res {
	uint64_t a0, a1, a2, a3;
};

#define SMCCC_VERSION 0x80000000u
#define SMCCC_VENDOR_HYP_UID 0x8600ff01u
#define SMCCC_KVM_FEATURES 0x86000000u
#define PSCI_VERSION 0x84000000u
#define PSCI_CPU_ON 0xc4000003u /* SMC64 */
#define PSCI_SYSTEM_OFF 0x84000008u
#define PSCI_SYSTEM_RESET 0x84000009u

struct smccc_res smccc_hvc(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3);
struct smccc_res smccc_smc(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3);

#endif
