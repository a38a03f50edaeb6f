/* sound: the scan beep and the refusal buzz, synthesised (no sound files to lose).
 *
 * A cashier looks at the goods, not the screen: the buzz is how a refused scan gets noticed.
 * No audio device (offscreen tests, a till without speakers) is not an error -- it is logged
 * once to stderr and every later call is a no-op. */
#ifndef FUPIN_UI_SOUND_H
#define FUPIN_UI_SOUND_H

void sound_init(void);
void sound_beep(void);   /* good scan: short high tone */
void sound_buzz(void);   /* refused: longer low square wave */
void sound_shutdown(void);

#endif
