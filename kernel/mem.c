#include <string.h>

#include <vmb/boot_info.h>
#include <vmb/mem.h>

#define PAGE_SIZE 4096u

static uintptr_t heap_lo, heap_brk, heap_hi;

void mem_take_ram(const struct boot_info *bi)
{
	heap_lo = (uintptr_t)((bi->heap_base + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1));
	heap_brk = heap_lo;
	heap_hi = (uintptr_t)((bi->heap_base + bi->heap_size) & ~(uint64_t)(PAGE_SIZE - 1));
}

void *mem_alloc_aligned(size_t npages, size_t align)
{
	size_t bytes = npages * PAGE_SIZE;
	uintptr_t at = (heap_hi - bytes) & ~(uintptr_t)(align - 1);

	if (!align || (align & (align - 1)) || heap_hi < bytes || at < heap_brk)
		return NULL;
	heap_hi = at;
	memset((void *)at, 0, bytes);
	return (void *)at;
}

void *mem_alloc_pages(size_t npages)
{
	return mem_alloc_aligned(npages, PAGE_SIZE);
}

void *mem_sbrk(intptr_t incr)
{
	uintptr_t old = heap_brk;

	if ((incr > 0 && (uintptr_t)incr > heap_hi - heap_brk) ||
	    (incr < 0 && (uintptr_t)-incr > heap_brk - heap_lo))
		return (void *)-1;
	heap_brk += incr;
	return (void *)old;
}
