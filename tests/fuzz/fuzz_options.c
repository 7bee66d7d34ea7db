#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <stdlib.h>

#include <vmb/options.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void ignore(void *ctx, const char *msg)
{
	(void)ctx;
	(void)msg;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *line = malloc(size + 1);
	struct options o;

	memcpy(line, data, size);
	line[size] = 0;
	options_defaults(&o);
	options_parse(&o, line, ignore, NULL);
	for (unsigned i = 0; i < o.nbench; i++)
		if (strlen(o.bench[i]) >= OPT_NAME_MAX)
			abort();
	options_selects(&o, "null");
	free(line);
	return 0;
}
