#include <stddef.h>
#include <stdint.h>

#include "logparse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vmb_log log;
	size_t chunk = size ? (data[0] % 17) + 1 : 1;

	vmb_log_init(&log, "fuzz");
	for (size_t i = 0; i < size; i += chunk)
		vmb_log_feed(&log, (const char *)data + i, size - i < chunk ? size - i : chunk);
	vmb_log_finish(&log);
	vmb_log_ok(&log);
	vmb_log_result(&log, "null");
	/* Every result's hist records, through the decoder and the merge. */
	const cJSON *r;
	cJSON_ArrayForEach(r, log.results) {
		struct vmb_hist h;
		if (vmb_log_hist(&log, vmb_str(r, "bench", ""), &h))
			vmb_hist_free(&h);
	}
	vmb_log_free(&log);
	return 0;
}
