#include <string.h>

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

int main(void)
{
	test_basic();
	test_escaping();
	test_overflow();
	return check_report("jsonw");
}
