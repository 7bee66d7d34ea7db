#include <string.h>

#include <vmb/fwinfo.h>

void fw_info_init(struct fw_info *info)
{
	memset(info, 0, sizeof(*info));
}
