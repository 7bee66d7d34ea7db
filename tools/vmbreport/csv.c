/* CSV fields as RFC 4180 wants them, for every CSV form. */
#include <string.h>

#include "csv.h"

void csv_field(FILE *out, const char *s, bool always_quote)
{
	bool quote = always_quote || strpbrk(s, ",\"\r\n") != NULL;

	if (quote)
		fputc('"', out);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', out);
		fputc(*s, out);
	}
	if (quote)
		fputc('"', out);
}
