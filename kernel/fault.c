#include <setjmp.h>
#include <stdio.h>
#include <string.h>

#include <vmb/fault.h>

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
