/* SPDX-License-Identifier: MIT */
/*
 * vm-uvc: both ends of the kernel's UVC function (usb_f_uvc), without
 * uvc-gadget or v4l-utils in the guest.
 *
 *   vm-uvc gadget /dev/videoN WIDTH HEIGHT SECONDS
 *       the streaming helper f_uvc needs on the gadget side: subscribes to
 *       the UVC events (which lets the function connect), answers the
 *       host's class requests (probe and commit with one YUYV format and
 *       frame, WIDTH x HEIGHT at 30 fps; zeros for the control interface's
 *       GET requests; every SET accepted), and on STREAMON queues four
 *       YUYV frames through VIDIOC_REQBUFS/QBUF/STREAMON, requeueing each
 *       one the UDC gives back.  One line per event on stdout ("ready",
 *       "connect", "setup a1 81 0100 0001 26", "streamon", "queued 4",
 *       "streamoff", ...), then after SECONDS (or SIGTERM)
 *       "gadget setups=N streamon=N streamoff=N queued=N done=N"
 *   vm-uvc capture /dev/videoN WIDTH HEIGHT SECONDS
 *       the host side (uvcvideo): YUYV WIDTH x HEIGHT, four mmap buffers,
 *       STREAMON, frames for up to SECONDS: "capture frames=N errors=E
 *       bytes=B pattern_ok=P ms=T" (errors: buffers given back marked
 *       V4L2_BUF_FLAG_ERROR; pattern_ok: frames whose bytes are the
 *       gadget's pattern, byte i = i % 251)
 *
 * Exit status: 0 ran (the caller judges the counts), 1 a V4L2 call
 * failed (said on stderr), 2 usage.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/usb/ch9.h>
#include <linux/usb/g_uvc.h>
#include <linux/usb/video.h>
#include <linux/videodev2.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define VM_UVC_BUFFERS 4
#define VM_UVC_INTERVAL 333333 /* 100 ns units: 30 fps */
#define VM_UVC_PATTERN_MOD 251
/* f_uvc's default streaming_maxpacket: what one packet can carry. */
#define VM_UVC_MAX_PAYLOAD 1024

struct vm_uvc_buffer {
	void *start;
	size_t length;
};

struct vm_uvc {
	int fd;
	unsigned width, height;
	enum v4l2_buf_type type;
	struct vm_uvc_buffer buf[VM_UVC_BUFFERS];
	unsigned nbuf;
	bool streaming;
	struct uvc_streaming_control probe, commit;
	/* The control selector of the last SET_CUR, for its data stage. */
	int set_selector;
	unsigned long setups, streamons, streamoffs, queued, done;
};

static volatile sig_atomic_t vm_uvc_stop;

static void on_signal(int sig)
{
	(void)sig;
	vm_uvc_stop = 1;
}

static int usage(void)
{
	fputs("usage: vm-uvc gadget|capture /dev/videoN WIDTH HEIGHT "
	      "SECONDS\n",
	      stderr);
	return 2;
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int xioctl(int fd, unsigned long request, void *arg, const char *what)
{
	int r;

	do
		r = ioctl(fd, request, arg);
	while (r < 0 && errno == EINTR);
	if (r < 0 && errno != EAGAIN)
		fprintf(stderr, "vm-uvc: %s: %s\n", what, strerror(errno));
	return r;
}

static void fill_pattern(void *start, size_t length)
{
	uint8_t *p = start;
	size_t i;

	for (i = 0; i < length; i++)
		p[i] = (uint8_t)(i % VM_UVC_PATTERN_MOD);
}

static bool is_pattern(const void *start, size_t length)
{
	const uint8_t *p = start;
	size_t i;

	for (i = 0; i < length; i++)
		if (p[i] != (uint8_t)(i % VM_UVC_PATTERN_MOD))
			return false;
	return length > 0;
}

static int set_format(struct vm_uvc *u)
{
	struct v4l2_format fmt = { .type = u->type };

	fmt.fmt.pix.width = u->width;
	fmt.fmt.pix.height = u->height;
	fmt.fmt.pix.pixelformat = V4L2_PIX_FMT_YUYV;
	fmt.fmt.pix.field = V4L2_FIELD_NONE;
	fmt.fmt.pix.bytesperline = u->width * 2;
	fmt.fmt.pix.sizeimage = u->width * u->height * 2;
	return xioctl(u->fd, VIDIOC_S_FMT, &fmt, "VIDIOC_S_FMT");
}

static int queue_buffer(struct vm_uvc *u, unsigned index)
{
	struct v4l2_buffer b = { .type = u->type,
				 .memory = V4L2_MEMORY_MMAP,
				 .index = index };

	if (u->type == V4L2_BUF_TYPE_VIDEO_OUTPUT) {
		fill_pattern(u->buf[index].start, u->buf[index].length);
		b.bytesused = (unsigned)u->buf[index].length;
	}
	if (xioctl(u->fd, VIDIOC_QBUF, &b, "VIDIOC_QBUF") < 0)
		return -1;
	u->queued++;
	return 0;
}

static void free_buffers(struct vm_uvc *u)
{
	struct v4l2_requestbuffers req = { .type = u->type,
					   .memory = V4L2_MEMORY_MMAP };
	unsigned i;

	for (i = 0; i < u->nbuf; i++)
		munmap(u->buf[i].start, u->buf[i].length);
	u->nbuf = 0;
	xioctl(u->fd, VIDIOC_REQBUFS, &req, "VIDIOC_REQBUFS 0");
}

static int start_streaming(struct vm_uvc *u)
{
	struct v4l2_requestbuffers req = { .count = VM_UVC_BUFFERS,
					   .type = u->type,
					   .memory = V4L2_MEMORY_MMAP };
	unsigned i;
	int type = u->type;

	if (xioctl(u->fd, VIDIOC_REQBUFS, &req, "VIDIOC_REQBUFS") < 0)
		return -1;
	for (i = 0; i < req.count && i < VM_UVC_BUFFERS; i++) {
		struct v4l2_buffer b = { .type = u->type,
					 .memory = V4L2_MEMORY_MMAP,
					 .index = i };

		if (xioctl(u->fd, VIDIOC_QUERYBUF, &b, "VIDIOC_QUERYBUF") < 0)
			return -1;
		u->buf[i].length = b.length;
		u->buf[i].start = mmap(NULL, b.length, PROT_READ | PROT_WRITE,
				       MAP_SHARED, u->fd, b.m.offset);
		if (u->buf[i].start == MAP_FAILED) {
			fprintf(stderr, "vm-uvc: mmap: %s\n", strerror(errno));
			return -1;
		}
		u->nbuf = i + 1;
	}
	for (i = 0; i < u->nbuf; i++)
		if (queue_buffer(u, i) < 0)
			return -1;
	if (xioctl(u->fd, VIDIOC_STREAMON, &type, "VIDIOC_STREAMON") < 0)
		return -1;
	u->streaming = true;
	return 0;
}

static void stop_streaming(struct vm_uvc *u)
{
	int type = u->type;

	if (!u->streaming)
		return;
	xioctl(u->fd, VIDIOC_STREAMOFF, &type, "VIDIOC_STREAMOFF");
	free_buffers(u);
	u->streaming = false;
}

static void default_probe(struct vm_uvc *u, struct uvc_streaming_control *c)
{
	memset(c, 0, sizeof(*c));
	c->bmHint = 1;
	c->bFormatIndex = 1;
	c->bFrameIndex = 1;
	c->dwFrameInterval = VM_UVC_INTERVAL;
	c->dwMaxVideoFrameSize = u->width * u->height * 2;
	c->dwMaxPayloadTransferSize = VM_UVC_MAX_PAYLOAD;
	c->bmFramingInfo = 3;
	c->bPreferedVersion = 1;
	c->bMaxVersion = 1;
}

/*
 * A class request, as f_uvc forwards it: the streaming interface's probe
 * and commit get our one format, everything else zeros (GET) or is taken
 * (SET); a request no camera would answer stalls.
 */
static void handle_setup(struct vm_uvc *u, const struct usb_ctrlrequest *req)
{
	struct uvc_request_data resp;
	unsigned selector = req->wValue >> 8, intf = req->wIndex & 0xff;
	unsigned len = req->wLength;
	bool streaming = intf == 1;

	u->setups++;
	printf("setup %02x %02x %04x %04x %u\n", req->bRequestType,
	       req->bRequest, req->wValue, req->wIndex, len);
	memset(&resp, 0, sizeof(resp));
	resp.length = (int)(len < sizeof(resp.data) ? len : sizeof(resp.data));
	u->set_selector = -1;
	switch (req->bRequest) {
	case UVC_SET_CUR:
		u->set_selector = streaming ? (int)selector : 0;
		break;
	case UVC_GET_INFO:
		resp.data[0] = 0x03;
		resp.length = 1;
		break;
	case UVC_GET_LEN:
		resp.data[0] = sizeof(struct uvc_streaming_control);
		resp.length = 2;
		break;
	case UVC_GET_CUR:
	case UVC_GET_MIN:
	case UVC_GET_MAX:
	case UVC_GET_DEF:
	case UVC_GET_RES:
		if (!streaming)
			break;
		if (selector == UVC_VS_PROBE_CONTROL ||
		    selector == UVC_VS_COMMIT_CONTROL) {
			struct uvc_streaming_control c;

			if (req->bRequest == UVC_GET_CUR)
				c = selector == UVC_VS_PROBE_CONTROL
					    ? u->probe
					    : u->commit;
			else
				default_probe(u, &c);
			memcpy(resp.data, &c,
			       (size_t)resp.length < sizeof(c)
				       ? (size_t)resp.length
				       : sizeof(c));
			break;
		}
		resp.length = -EL2HLT;
		break;
	default:
		resp.length = -EL2HLT;
		break;
	}
	xioctl(u->fd, UVCIOC_SEND_RESPONSE, &resp, "UVCIOC_SEND_RESPONSE");
}

/* SET_CUR's data stage: the host's probe or commit, kept as it is. */
static void handle_data(struct vm_uvc *u, const struct uvc_request_data *d)
{
	struct uvc_streaming_control *c = NULL;
	size_t n;

	printf("data %d\n", d->length);
	if (u->set_selector == UVC_VS_PROBE_CONTROL)
		c = &u->probe;
	else if (u->set_selector == UVC_VS_COMMIT_CONTROL)
		c = &u->commit;
	if (!c || d->length <= 0)
		return;
	n = (size_t)d->length < sizeof(*c) ? (size_t)d->length : sizeof(*c);
	memcpy(c, d->data, n);
	/* The host's proposal, with what it may leave out filled in. */
	c->dwMaxVideoFrameSize = u->width * u->height * 2;
	c->dwMaxPayloadTransferSize = VM_UVC_MAX_PAYLOAD;
}

static int handle_event(struct vm_uvc *u)
{
	struct v4l2_event ev;
	struct uvc_event *uev = (void *)&ev.u.data;

	if (xioctl(u->fd, VIDIOC_DQEVENT, &ev, "VIDIOC_DQEVENT") < 0)
		return errno == EAGAIN ? 0 : -1;
	switch (ev.type) {
	case UVC_EVENT_CONNECT:
		printf("connect speed=%d\n", uev->speed);
		break;
	case UVC_EVENT_DISCONNECT:
		printf("disconnect\n");
		stop_streaming(u);
		break;
	case UVC_EVENT_SETUP:
		handle_setup(u, &uev->req);
		break;
	case UVC_EVENT_DATA:
		handle_data(u, &uev->data);
		break;
	case UVC_EVENT_STREAMON:
		u->streamons++;
		printf("streamon\n");
		if (start_streaming(u) < 0)
			return -1;
		printf("queued %u\n", u->nbuf);
		break;
	case UVC_EVENT_STREAMOFF:
		u->streamoffs++;
		printf("streamoff\n");
		stop_streaming(u);
		break;
	default:
		printf("event 0x%x\n", ev.type);
		break;
	}
	return 0;
}

static int dequeue(struct vm_uvc *u, struct v4l2_buffer *b)
{
	memset(b, 0, sizeof(*b));
	b->type = u->type;
	b->memory = V4L2_MEMORY_MMAP;
	return xioctl(u->fd, VIDIOC_DQBUF, b, "VIDIOC_DQBUF");
}

static int run_gadget(struct vm_uvc *u, unsigned seconds)
{
	static const unsigned types[] = {
		UVC_EVENT_CONNECT, UVC_EVENT_DISCONNECT, UVC_EVENT_STREAMON,
		UVC_EVENT_STREAMOFF, UVC_EVENT_DATA,
		/* Last: subscribing to SETUP connects the function. */
		UVC_EVENT_SETUP
	};
	double end = now_ms() + seconds * 1e3;
	unsigned i;

	u->type = V4L2_BUF_TYPE_VIDEO_OUTPUT;
	default_probe(u, &u->probe);
	u->commit = u->probe;
	if (set_format(u) < 0)
		return 1;
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		struct v4l2_event_subscription sub = { .type = types[i] };

		if (xioctl(u->fd, VIDIOC_SUBSCRIBE_EVENT, &sub,
			   "VIDIOC_SUBSCRIBE_EVENT") < 0)
			return 1;
	}
	printf("ready\n");
	while (!vm_uvc_stop && now_ms() < end) {
		struct pollfd pfd = { .fd = u->fd,
				      .events = POLLPRI | POLLOUT };
		struct v4l2_buffer b;

		if (poll(&pfd, 1, 100) <= 0)
			continue;
		if ((pfd.revents & POLLPRI) && handle_event(u) < 0)
			return 1;
		if (u->streaming && (pfd.revents & POLLOUT) &&
		    dequeue(u, &b) == 0) {
			u->done++;
			if (queue_buffer(u, b.index) < 0)
				return 1;
		}
	}
	stop_streaming(u);
	printf("gadget setups=%lu streamon=%lu streamoff=%lu queued=%lu "
	       "done=%lu\n",
	       u->setups, u->streamons, u->streamoffs, u->queued, u->done);
	return 0;
}

static int run_capture(struct vm_uvc *u, unsigned seconds)
{
	double start = now_ms(), end = start + seconds * 1e3;
	unsigned long frames = 0, errors = 0, bytes = 0, good = 0;

	u->type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
	if (set_format(u) < 0 || start_streaming(u) < 0)
		return 1;
	while (!vm_uvc_stop && now_ms() < end) {
		struct pollfd pfd = { .fd = u->fd, .events = POLLIN };
		struct v4l2_buffer b;

		if (poll(&pfd, 1, 100) <= 0 || dequeue(u, &b) < 0)
			continue;
		/* uvcvideo gives its queued buffers back marked when the
		 * stream fails (uvc_queue_cancel). */
		if (b.flags & V4L2_BUF_FLAG_ERROR)
			errors++;
		else
			frames++;
		bytes += b.bytesused;
		if (is_pattern(u->buf[b.index].start, b.bytesused))
			good++;
		if (queue_buffer(u, b.index) < 0)
			return 1;
	}
	stop_streaming(u);
	printf("capture frames=%lu errors=%lu bytes=%lu pattern_ok=%lu "
	       "ms=%.0f\n",
	       frames, errors, bytes, good, now_ms() - start);
	return 0;
}

static bool parse_num(const char *s, long lo, long hi, long *out)
{
	char *end;

	errno = 0;
	*out = strtol(s, &end, 0);
	return !errno && end != s && !*end && *out >= lo && *out <= hi;
}

int main(int argc, char **argv)
{
	static struct vm_uvc u;
	long width, height, seconds;
	bool gadget;
	int r;

	if (argc != 6)
		return usage();
	gadget = strcmp(argv[1], "gadget") == 0;
	if (!gadget && strcmp(argv[1], "capture") != 0)
		return usage();
	if (!parse_num(argv[3], 16, 4096, &width) ||
	    !parse_num(argv[4], 16, 4096, &height) ||
	    !parse_num(argv[5], 1, 600, &seconds))
		return usage();
	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	u.width = (unsigned)width;
	u.height = (unsigned)height;
	u.fd = open(argv[2], O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (u.fd < 0) {
		fprintf(stderr, "vm-uvc: %s: %s\n", argv[2], strerror(errno));
		return 1;
	}
	r = gadget ? run_gadget(&u, (unsigned)seconds)
		   : run_capture(&u, (unsigned)seconds);
	close(u.fd);
	return r;
}
