/* The counters' names, written once. */
#include <string.h>

#include <vmb/counters.h>

static const struct {
	enum counter_kind kind;
	const char *name;
} counters[] = {
	{ COUNTER_AUTO, "auto" },
	{ COUNTER_TSC, "tsc" },
	{ COUNTER_PMCCNTR, "pmccntr" },
	{ COUNTER_CNTVCT, "cntvct" },
};
#define N_COUNTERS (sizeof(counters) / sizeof(counters[0]))

const char *counter_name(enum counter_kind kind)
{
	for (size_t i = 0; i < N_COUNTERS; i++)
		if (counters[i].kind == kind && kind != COUNTER_AUTO)
			return counters[i].name;
	return "none";
}

const char *counter_unit(enum counter_kind kind)
{
	return kind == COUNTER_CNTVCT ? "ticks" : "cycles";
}

bool counter_by_name(const char *name, enum counter_kind *kind)
{
	for (size_t i = 0; name && i < N_COUNTERS; i++) {
		if (!strcmp(name, counters[i].name)) {
			*kind = counters[i].kind;
			return true;
		}
	}
	return false;
}

const char *counter_choices(void)
{
	static char text[64];

	if (!text[0]) {
		for (size_t i = 0; i < N_COUNTERS; i++) {
			size_t len = strlen(text);
			const char *sep = !i ? "" : i + 1 == N_COUNTERS ? " or " : ", ";
			/* Fits: four short names. */
			strncat(text, sep, sizeof(text) - len - 1);
			strncat(text, counters[i].name, sizeof(text) - strlen(text) - 1);
		}
	}
	return text;
}
