/*
 * lwIP as the image uses it: no OS (NO_SYS, raw API, one thread that
 * polls), IPv4 over Ethernet with ARP and DHCP, UDP and TCP. Buffers are
 * sized for bulk TCP at a few Gbit/s: window scaling, a 256 KiB receive
 * window and send buffer.
 */
#ifndef VMB_LWIPOPTS_H
#define VMB_LWIPOPTS_H

#define NO_SYS 1
#define SYS_LIGHTWEIGHT_PROT 0
#define LWIP_SOCKET 0
#define LWIP_NETCONN 0
#define LWIP_IPV4 1
#define LWIP_IPV6 0
#define LWIP_ARP 1
#define LWIP_ETHERNET 1
#define LWIP_ICMP 1
#define LWIP_DHCP 1
#define DHCP_DOES_ARP_CHECK 0
#define LWIP_AUTOIP 0
#define LWIP_IGMP 0
#define LWIP_DNS 0
#define LWIP_RAW 0
#define LWIP_UDP 1
#define LWIP_TCP 1
#define LWIP_STATS 0
#define LWIP_NETIF_HOSTNAME 0
#define LWIP_SINGLE_NETIF 1

#define MEM_ALIGNMENT 8
/* lwIP's heap and pools from newlib's malloc: static arrays would sit
 * inside BOOTX64.EFI's .data (boot/x86_64/efi.lds) as megabytes of zeros. */
#define MEM_LIBC_MALLOC 1
#define MEMP_MEM_MALLOC 1
#define MEMP_NUM_PBUF 512
#define MEMP_NUM_UDP_PCB 8
#define MEMP_NUM_TCP_PCB 16
#define MEMP_NUM_TCP_PCB_LISTEN 8
#define PBUF_POOL_SIZE 1024

#define TCP_MSS 1460
#define LWIP_WND_SCALE 1
#define TCP_RCV_SCALE 3
#define TCP_WND (256 * 1024)
#define TCP_SND_BUF (256 * 1024)
#define TCP_SND_QUEUELEN (4 * TCP_SND_BUF / TCP_MSS)
/* tcp_sndbuf() is counted in 16 bits whatever the buffer (lwIP checks). */
#define TCP_SNDLOWAT (32 * 1024)
#define MEMP_NUM_TCP_SEG TCP_SND_QUEUELEN
#define TCP_QUEUE_OOSEQ 1
#define LWIP_TCP_KEEPALIVE 0

#define LWIP_NETIF_TX_SINGLE_PBUF 1

#endif
