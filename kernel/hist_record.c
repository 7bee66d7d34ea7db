/*
 * The members of a hist record (docs/protocol.md, "hist"), apart from
 * the writer that emits it so that the host's tests can build the
 * largest one and see it fit HIST_RECORD_TEXT.
 */
#include <vmb/hist.h>
#include <vmb/jsonw.h>

void hist_record(struct jsonw *w, const char *bench, const char *unit, uint64_t n, uint64_t part,
		 uint64_t parts, const uint64_t *b, size_t pairs)
{
	jw_str(w, "t", "hist");
	jw_str(w, "bench", bench);
	jw_str(w, "unit", unit);
	jw_u64(w, "sub_bits", HIST_SUB_BITS);
	jw_u64(w, "n", n);
	jw_u64(w, "part", part);
	jw_u64(w, "parts", parts);
	jw_u64s(w, "b", b, 2 * pairs);
}
