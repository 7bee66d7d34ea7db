/*
 * The system calls newlib needs. The x86_64-elf build of newlib calls
 * them without a leading underscore, the aarch64 build with one, so both
 * names are provided.
 */
#include <errno.h>
#include <stdint.h>
#include <sys/stat.h>

#include <vmb/console.h>
#include <vmb/fault.h>
#include <vmb/mem.h>

#undef errno
extern int errno;

int _write(int fd, const void *buf, int len);
int _read(int fd, void *buf, int len);
int _close(int fd);
int _fstat(int fd, struct stat *st);
int _isatty(int fd);
int _lseek(int fd, int off, int whence);
int _kill(int pid, int sig);
int _getpid(void);
void *_sbrk(intptr_t incr);
_Noreturn void _exit(int status);
int write(int fd, const void *buf, int len);
int read(int fd, void *buf, int len);
int close(int fd);
int fstat(int fd, struct stat *st);
int isatty(int fd);
int lseek(int fd, int off, int whence);
int kill(int pid, int sig);
int getpid(void);
void *sbrk(intptr_t incr);

int _write(int fd, const void *buf, int len)
{
	if (fd != 1 && fd != 2) {
		errno = EBADF;
		return -1;
	}
	console_write(buf, (size_t)len);
	return len;
}

int _read(int fd, void *buf, int len)
{
	(void)fd, (void)buf, (void)len;
	return 0;
}

int _close(int fd)
{
	(void)fd;
	return -1;
}

int _fstat(int fd, struct stat *st)
{
	(void)fd;
	st->st_mode = S_IFCHR;
	return 0;
}

int _isatty(int fd)
{
	(void)fd;
	return 1;
}

int _lseek(int fd, int off, int whence)
{
	(void)fd, (void)off, (void)whence;
	return 0;
}

int _kill(int pid, int sig)
{
	(void)pid, (void)sig;
	errno = EINVAL;
	return -1;
}

int _getpid(void)
{
	return 1;
}

void *_sbrk(intptr_t incr)
{
	void *p = mem_sbrk(incr);

	if (p == (void *)-1)
		errno = ENOMEM;
	return p;
}

/* abort() and exit() end the run the way a fatal error does. */
void _exit(int status)
{
	kernel_fatal_exit(status);
}

int write(int fd, const void *buf, int len)
{
	return _write(fd, buf, len);
}
int read(int fd, void *buf, int len)
{
	return _read(fd, buf, len);
}
int close(int fd)
{
	return _close(fd);
}
int fstat(int fd, struct stat *st)
{
	return _fstat(fd, st);
}
int isatty(int fd)
{
	return _isatty(fd);
}
int lseek(int fd, int off, int whence)
{
	return _lseek(fd, off, whence);
}
int kill(int pid, int sig)
{
	return _kill(pid, sig);
}
int getpid(void)
{
	return _getpid();
}
void *sbrk(intptr_t incr)
{
	return _sbrk(incr);
}
