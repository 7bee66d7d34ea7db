#include <stdio.h>
#include <string.h>

#include <vmb/crc32.h>
#include <vmb/jsonw.h>

#include "check.h"

static void test_basic(void)
{
	char buf[256];
	struct jsonw w;

	jw_begin(&w, buf, sizeof(buf));
	jw_str(&w, "t", "boot");
	jw_u64(&w, "v", 1);
	jw_i64(&w, "neg", -5);
	jw_bool(&w, "emulated", true);
	jw_u64(&w, "big", UINT64_MAX);
	CHECK_STR(jw_end(&w), "{\"t\":\"boot\",\"v\":1,\"neg\":-5,\"emulated\":true,"
			      "\"big\":18446744073709551615}");
}

static void test_escaping(void)
{
	char buf[256];
	struct jsonw w;

	jw_begin(&w, buf, sizeof(buf));
	jw_str(&w, "s", "a\"b\\c\n\x01\xff");
	CHECK_STR(jw_end(&w), "{\"s\":\"a\\\"b\\\\c\\u000a\\u0001\\u00ff\"}");

	jw_begin(&w, buf, sizeof(buf));
	jw_str(&w, "null", NULL);
	CHECK_STR(jw_end(&w), "{\"null\":\"\"}");

	jw_begin(&w, buf, sizeof(buf));
	CHECK_STR(jw_end(&w), "{}");
}

static void test_overflow(void)
{
	char buf[32];
	struct jsonw w;

	/* A member that does not fit is dropped whole; the object stays valid. */
	jw_begin(&w, buf, sizeof(buf));
	jw_str(&w, "a", "1");
	jw_str(&w, "long", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
	const char *out = jw_end(&w);
	CHECK_STR(out, "{\"a\":\"1\"}");
	CHECK(w.overflow);
	CHECK(strlen(out) < sizeof(buf));

	for (size_t cap = 0; cap < 32; cap++) {
		char small[32];
		jw_begin(&w, small, cap);
		jw_str(&w, "key", "value");
		jw_u64(&w, "n", 12345);
		out = jw_end(&w);
		CHECK(out[0] == '{' && out[strlen(out) - 1] == '}');
	}
}

/* The check value every CRC-32 (IEEE, zlib's) gives for "123456789". */
static void test_crc32(void)
{
	CHECK(vmb_crc32("123456789", 9) == 0xcbf43926u);
	CHECK(vmb_crc32("", 0) == 0);
}

static void test_seal(void)
{
	char buf[256], want[256];
	struct jsonw w;

	jw_begin(&w, buf, sizeof(buf));
	jw_str(&w, "t", "end");
	const char *out = jw_seal(&w, 7);
	const char *body = "{\"t\":\"end\",\"seq\":7";
	snprintf(want, sizeof(want), "%s,\"crc\":\"%08x\"}", body,
		 (unsigned)vmb_crc32(body, strlen(body)));
	CHECK_STR(out, want);

	jw_begin(&w, buf, sizeof(buf));
	/* Python: "%08x" % zlib.crc32(b'{"seq":0') */
	CHECK_STR(jw_seal(&w, 0), "{\"seq\":0,\"crc\":\"fb6446ea\"}");

	/* A record whose members did not all fit is still numbered and
	 * sealed: the room for both was kept back. */
	char small[80];
	jw_begin(&w, small, sizeof(small));
	jw_str(&w, "t", "info");
	jw_str(&w, "msg", "a message far too long for the record it should go in");
	CHECK(w.overflow);
	out = jw_seal(&w, UINT64_MAX);
	CHECK(strstr(out, "{\"t\":\"info\",\"seq\":18446744073709551615,\"crc\":\"") == out);
	CHECK(strlen(out) < sizeof(small));
	CHECK(out[strlen(out) - 1] == '}');
}

static void test_array(void)
{
	char buf[128]; /* less the seal's room: 80 */
	const uint64_t v[] = { 1, 22, 333 };
	struct jsonw w;

	jw_begin(&w, buf, sizeof(buf));
	jw_u64s(&w, "cdf", v, 3);
	jw_u64s(&w, "none", v, 0);
	CHECK_STR(jw_end(&w), "{\"cdf\":[1,22,333],\"none\":[]}");

	/* An array that does not fit is dropped whole, as any member. */
	uint64_t big[192];
	for (unsigned i = 0; i < 192; i++)
		big[i] = UINT64_MAX;
	jw_begin(&w, buf, sizeof(buf));
	jw_u64(&w, "n", 5);
	jw_u64s(&w, "cdf", big, 32);
	CHECK_STR(jw_end(&w), "{\"n\":5}");
	CHECK(w.overflow);

	/* A histogram's 192 numbers, where the buffer has room. */
	static char large[8192];
	jw_begin(&w, large, sizeof(large));
	jw_u64s(&w, "b", big, 192);
	const char *text = jw_end(&w);
	CHECK(!w.overflow);
	CHECK_EQ_U(strlen(text), 8 + 192 * 20 + 191);
	CHECK(!strncmp(text, "{\"b\":[18446744073709551615,", 27));
}

int main(void)
{
	test_basic();
	test_escaping();
	test_overflow();
	test_array();
	test_crc32();
	test_seal();
	return check_report("jsonw");
}
