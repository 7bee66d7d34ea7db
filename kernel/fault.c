#include <setjmp.h>
#include <stdio.h>
#include <string.h>

#include <vmb/arch.h>
#include <vmb/console.h>
#include <vmb/fault.h>
#include <vmb/options.h>
#include <vmb/platform.h>
#include <vmb/report.h>

static jmp_buf *try_env;
static uint64_t try_code;
static char try_text[160];

uint64_t vmb_try(void (*fn)(void *), void *arg)
{
	jmp_buf env;
	jmp_buf *volatile prev = try_env;

	if (setjmp(env) == 0) {
		try_env = &env;
		fn(arg);
		try_env = prev;
		return 0;
	}
	try_env = prev;
	return try_code;
}

const char *vmb_fault_text(void)
{
	return try_text;
}

void fault_recover(uint64_t code, const char *text)
{
	if (!try_env)
		return;
	try_code = code ? code : 1;
	snprintf(try_text, sizeof(try_text), "%s", text);
	/* Leaving the exception handler by longjmp is safe here: neither
	 * architecture keeps state about exception nesting that we rely on. */
	longjmp(*try_env, 1);
}

static void (*console_rescue)(void);

void fault_set_console_rescue(void (*rescue)(void))
{
	console_rescue = rescue;
}

_Noreturn void kernel_fatal_exit(int status)
{
	static bool dying;
	bool poweroff = the_options->exit == EXIT_POWEROFF;

	/* A fault while reporting the first one must not loop. */
	if (dying)
		arch_shutdown(&the_platform, poweroff);
	dying = true;
	/* A fault before the console was set up (in kernel_main, or in the
	 * MMU set-up) would otherwise stay in the buffer and the machine would
	 * halt without a word: give it the console we can find without tables. */
	if (!console_connected() && console_rescue)
		console_rescue();
	if (!report_boot_done())
		kprintf("vmbench: fatal error before the boot record\n");
	report_error("kernel", "fatal error (status %d): run aborted", status);
	report_end();
	arch_shutdown(&the_platform, poweroff);
}
