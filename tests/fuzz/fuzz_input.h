/* The fuzzers' input: bytes taken one at a time, zeros once they run out (so a short input still decodes). */
#ifndef SIPAUTH_FUZZ_INPUT_H
#define SIPAUTH_FUZZ_INPUT_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    const uint8_t *data;
    size_t size;
} input_t;

static inline uint8_t
take(input_t *in)
{
    if (in->size == 0)
        return 0;
    uint8_t byte = *in->data++;
    in->size--;
    return byte;
}

#endif
