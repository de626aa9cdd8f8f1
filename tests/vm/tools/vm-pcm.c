/* SPDX-License-Identifier: MIT */
/*
 * vm-pcm: play or capture on an ALSA PCM device through the kernel's own
 * interface (no alsa-lib, no configuration files), on either side of the
 * VM's USB bus: the host's snd-usb-audio card or the gadget's u_audio card
 * (uac1, uac2).  What is played is a counter: sample k of every channel
 * carries frame number k, so a capture can tell data that crossed from
 * silence.
 *
 *   vm-pcm play /dev/snd/pcmC0D0p RATE CHANNELS SAMPLE_BYTES SECONDS
 *   vm-pcm capture /dev/snd/pcmC0D0c RATE CHANNELS SAMPLE_BYTES SECONDS
 *
 * SAMPLE_BYTES 2 (S16_LE), 3 (S24_3LE) or 4 (S32_LE).  Runs until
 * RATE * SECONDS frames moved, or until nothing moved for 2 s (the stream
 * stalled: the device takes or gives no data), then prints one line:
 *   "play frames=N bytes=B xruns=X stalled=0 ms=T period=P buffer=Q"
 *   "capture frames=N bytes=B nonzero=Z run=R xruns=X stalled=1 ms=T ..."
 * (nonzero: frames whose first sample is not 0; run: the longest stretch
 * of consecutive counter values in the first channel).  Exit status: 0
 * when the stream ran (even if it stalled: the caller judges the counts),
 * 1 when the device refused the parameters or failed, 2 usage.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sound/asound.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#define VM_PCM_STALL_MS 2000
#define VM_PCM_CHUNK_FRAMES 1024
#define VM_PCM_MAX_CHANNELS 8
#define VM_PCM_PERIOD_US_MIN 10000
#define VM_PCM_BUFFER_US_MAX 500000

struct vm_pcm {
	int fd;
	bool play;
	unsigned rate, channels, sample_bytes;
	unsigned long period, buffer;
};

static int usage(void)
{
	fputs("usage: vm-pcm play|capture DEVICE RATE CHANNELS SAMPLE_BYTES "
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

static struct snd_mask *param_mask(struct snd_pcm_hw_params *p, int var)
{
	return &p->masks[var - SNDRV_PCM_HW_PARAM_FIRST_MASK];
}

static struct snd_interval *param_interval(struct snd_pcm_hw_params *p, int var)
{
	return &p->intervals[var - SNDRV_PCM_HW_PARAM_FIRST_INTERVAL];
}

static void mask_only(struct snd_pcm_hw_params *p, int var, unsigned bit)
{
	struct snd_mask *m = param_mask(p, var);

	memset(m, 0, sizeof(*m));
	m->bits[bit / 32] = 1U << (bit % 32);
}

static void interval_range(struct snd_pcm_hw_params *p, int var, unsigned min,
			   unsigned max)
{
	struct snd_interval *i = param_interval(p, var);

	i->min = min;
	i->max = max;
	i->integer = min == max;
}

/*
 * Everything open, then the stream's own choices: the kernel picks the
 * rest (snd_pcm_hw_params: the smallest period, the largest buffer) within
 * a period of at least 10 ms and a buffer of at most 0.5 s.
 */
static int pcm_setup(struct vm_pcm *pcm, const char *path)
{
	struct snd_pcm_hw_params p;
	unsigned format;
	int var;

	switch (pcm->sample_bytes) {
	case 2:
		format = SNDRV_PCM_FORMAT_S16_LE;
		break;
	case 3:
		format = SNDRV_PCM_FORMAT_S24_3LE;
		break;
	default:
		format = SNDRV_PCM_FORMAT_S32_LE;
		break;
	}
	memset(&p, 0, sizeof(p));
	for (var = SNDRV_PCM_HW_PARAM_FIRST_MASK;
	     var <= SNDRV_PCM_HW_PARAM_LAST_MASK; var++)
		memset(param_mask(&p, var), 0xff, sizeof(struct snd_mask));
	for (var = SNDRV_PCM_HW_PARAM_FIRST_INTERVAL;
	     var <= SNDRV_PCM_HW_PARAM_LAST_INTERVAL; var++)
		interval_range(&p, var, 0, UINT_MAX);
	p.rmask = ~0U;
	mask_only(&p, SNDRV_PCM_HW_PARAM_ACCESS,
		  SNDRV_PCM_ACCESS_RW_INTERLEAVED);
	mask_only(&p, SNDRV_PCM_HW_PARAM_FORMAT, format);
	mask_only(&p, SNDRV_PCM_HW_PARAM_SUBFORMAT, SNDRV_PCM_SUBFORMAT_STD);
	interval_range(&p, SNDRV_PCM_HW_PARAM_CHANNELS, pcm->channels,
		       pcm->channels);
	interval_range(&p, SNDRV_PCM_HW_PARAM_RATE, pcm->rate, pcm->rate);
	interval_range(&p, SNDRV_PCM_HW_PARAM_PERIOD_TIME, VM_PCM_PERIOD_US_MIN,
		       UINT_MAX);
	interval_range(&p, SNDRV_PCM_HW_PARAM_BUFFER_TIME, 0,
		       VM_PCM_BUFFER_US_MAX);
	if (ioctl(pcm->fd, SNDRV_PCM_IOCTL_HW_PARAMS, &p) < 0) {
		fprintf(stderr,
			"vm-pcm: %s: hw_params (%u Hz, %u channels, %u-byte "
			"samples): %s\n",
			path, pcm->rate, pcm->channels, pcm->sample_bytes,
			strerror(errno));
		return -1;
	}
	pcm->period = param_interval(&p, SNDRV_PCM_HW_PARAM_PERIOD_SIZE)->min;
	pcm->buffer = param_interval(&p, SNDRV_PCM_HW_PARAM_BUFFER_SIZE)->min;
	if (ioctl(pcm->fd, SNDRV_PCM_IOCTL_PREPARE) < 0) {
		fprintf(stderr, "vm-pcm: %s: prepare: %s\n", path,
			strerror(errno));
		return -1;
	}
	return 0;
}

static void sample_put(uint8_t *at, unsigned bytes, uint32_t value)
{
	unsigned i;

	for (i = 0; i < bytes; i++)
		at[i] = (uint8_t)(value >> (8 * i));
}

static uint32_t sample_get(const uint8_t *at, unsigned bytes)
{
	uint32_t v = 0;
	unsigned i;

	for (i = 0; i < bytes; i++)
		v |= (uint32_t)at[i] << (8 * i);
	return v;
}

static int pcm_run(struct vm_pcm *pcm, unsigned long want)
{
	static uint8_t buf[VM_PCM_CHUNK_FRAMES * VM_PCM_MAX_CHANNELS * 4];
	unsigned frame_bytes = pcm->channels * pcm->sample_bytes;
	uint32_t mask = pcm->sample_bytes == 4
				? UINT32_MAX
				: (1U << (8 * pcm->sample_bytes)) - 1;
	unsigned long done = 0, nonzero = 0, run = 0, best = 0, xruns = 0;
	double start = now_ms(), last = start;
	uint32_t prev = 0;
	bool stalled = false;
	struct pollfd pfd = { .fd = pcm->fd,
			      .events = pcm->play ? POLLOUT : POLLIN };
	unsigned long i, n;
	unsigned c;

	if (!pcm->play && ioctl(pcm->fd, SNDRV_PCM_IOCTL_START) < 0) {
		fprintf(stderr, "vm-pcm: start: %s\n", strerror(errno));
		return 1;
	}
	while (done < want) {
		struct snd_xferi x = { 0 };
		int r;

		n = want - done < VM_PCM_CHUNK_FRAMES ? want - done
						      : VM_PCM_CHUNK_FRAMES;
		if (pcm->play)
			for (i = 0; i < n; i++)
				for (c = 0; c < pcm->channels; c++)
					sample_put(
						buf + i * frame_bytes +
							c * pcm->sample_bytes,
						pcm->sample_bytes,
						(uint32_t)(done + i + 1) &
							mask);
		x.buf = buf;
		x.frames = (snd_pcm_uframes_t)n;
		r = ioctl(pcm->fd,
			  pcm->play ? SNDRV_PCM_IOCTL_WRITEI_FRAMES
				    : SNDRV_PCM_IOCTL_READI_FRAMES,
			  &x);
		if (r < 0 && errno == EPIPE) {
			xruns++;
			if (ioctl(pcm->fd, SNDRV_PCM_IOCTL_PREPARE) < 0 ||
			    (!pcm->play &&
			     ioctl(pcm->fd, SNDRV_PCM_IOCTL_START) < 0)) {
				fprintf(stderr, "vm-pcm: after an xrun: %s\n",
					strerror(errno));
				return 1;
			}
			continue;
		}
		if (r < 0 && errno != EAGAIN) {
			fprintf(stderr, "vm-pcm: %s: %s\n",
				pcm->play ? "write" : "read", strerror(errno));
			return 1;
		}
		if (r == 0 && x.result > 0) {
			for (i = 0; !pcm->play && i < (unsigned long)x.result;
			     i++) {
				uint32_t v = sample_get(buf + i * frame_bytes,
							pcm->sample_bytes);

				if (v)
					nonzero++;
				run = v && v == ((prev + 1) & mask) ? run + 1
								    : 1;
				if (v && run > best)
					best = run;
				prev = v;
			}
			done += (unsigned long)x.result;
			last = now_ms();
			continue;
		}
		if (now_ms() - last >= VM_PCM_STALL_MS) {
			stalled = true;
			break;
		}
		poll(&pfd, 1, 100);
	}
	printf("%s frames=%lu bytes=%lu", pcm->play ? "play" : "capture", done,
	       done * frame_bytes);
	if (!pcm->play)
		printf(" nonzero=%lu run=%lu", nonzero, best);
	printf(" xruns=%lu stalled=%d ms=%.0f period=%lu buffer=%lu\n", xruns,
	       stalled, (stalled ? last : now_ms()) - start, pcm->period,
	       pcm->buffer);
	if (pcm->play && !stalled)
		ioctl(pcm->fd, SNDRV_PCM_IOCTL_DRAIN);
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
	struct vm_pcm pcm = { 0 };
	long rate, channels, bytes, seconds;
	int r;

	if (argc != 7)
		return usage();
	if (strcmp(argv[1], "play") == 0)
		pcm.play = true;
	else if (strcmp(argv[1], "capture") != 0)
		return usage();
	if (!parse_num(argv[3], 8000, 384000, &rate) ||
	    !parse_num(argv[4], 1, VM_PCM_MAX_CHANNELS, &channels) ||
	    !parse_num(argv[5], 2, 4, &bytes) ||
	    !parse_num(argv[6], 1, 60, &seconds))
		return usage();
	pcm.rate = (unsigned)rate;
	pcm.channels = (unsigned)channels;
	pcm.sample_bytes = (unsigned)bytes;
	pcm.fd = open(argv[2], O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (pcm.fd < 0) {
		fprintf(stderr, "vm-pcm: %s: %s\n", argv[2], strerror(errno));
		return 1;
	}
	r = pcm_setup(&pcm, argv[2]) < 0
		    ? 1
		    : pcm_run(&pcm, (unsigned long)(rate * seconds));
	close(pcm.fd);
	return r;
}
