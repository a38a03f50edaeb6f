/* sound: SDL_QueueAudio tones.  See sound.h.  Its few log lines use the app's log format
 * ("fupin-pos: sound: …", pos/app/log.h) written here: ui/ does not include pos/app. */
#include "ui/sound.h"

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <SDL.h>

#define RATE 22050

static SDL_AudioDeviceID dev;
static bool tried, failed;

void sound_init(void)
{
    if (tried) {
        return;
    }
    tried = true;
    if (SDL_InitSubSystem(SDL_INIT_AUDIO) != 0) {
        fprintf(stderr, "fupin-pos: sound: no audio (%s); scan sounds are off\n", SDL_GetError());
        failed = true;
        return;
    }
    SDL_AudioSpec want = {0}, have;
    want.freq = RATE;
    want.format = AUDIO_S16SYS;
    want.channels = 1;
    want.samples = 512;
    dev = SDL_OpenAudioDevice(NULL, 0, &want, &have, 0);
    if (dev == 0) {
        fprintf(stderr, "fupin-pos: sound: no audio device (%s); scan sounds are off\n",
                SDL_GetError());
        failed = true;
        SDL_QuitSubSystem(SDL_INIT_AUDIO);
        return;
    }
    SDL_PauseAudioDevice(dev, 0);
}

/* A tone with 5 ms fades at both ends: a hard start/stop clicks louder than the tone. */
static void tone(double hz, int ms, bool square, double volume)
{
    if (!tried) {
        sound_init();
    }
    if (failed || dev == 0) {
        return;
    }
    enum { MAX_SAMPLES = RATE / 2 };
    static int16_t buf[MAX_SAMPLES];
    int n = RATE * ms / 1000;
    if (n > MAX_SAMPLES) {
        n = MAX_SAMPLES;
    }
    int fade = RATE * 5 / 1000;
    for (int i = 0; i < n; i++) {
        double ph = sin(2.0 * M_PI * hz * i / RATE);
        double v = square ? (ph >= 0 ? 0.6 : -0.6) : ph;
        double env = 1.0;
        if (i < fade) {
            env = (double)i / fade;
        } else if (i > n - fade) {
            env = (double)(n - i) / fade;
        }
        buf[i] = (int16_t)(v * env * volume * 32767.0);
    }
    /* A new sound replaces one still playing: two quick scans give two clear beeps, not a
     * growing backlog that lags behind the screen. */
    SDL_ClearQueuedAudio(dev);
    if (SDL_QueueAudio(dev, buf, (Uint32)(n * (int)sizeof buf[0])) != 0) {
        fprintf(stderr, "fupin-pos: sound: audio failed (%s); scan sounds are off\n",
                SDL_GetError());
        failed = true;
    }
}

void sound_beep(void)
{
    tone(2200.0, 70, false, 0.5);
}

void sound_buzz(void)
{
    tone(180.0, 320, true, 0.45);
}

void sound_shutdown(void)
{
    if (dev) {
        SDL_CloseAudioDevice(dev);
        dev = 0;
        SDL_QuitSubSystem(SDL_INIT_AUDIO);
    }
    tried = failed = false;
}
