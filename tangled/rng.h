#ifndef RNG_H
#define RNG_H
#include <stdint.h>

typedef struct rng_state { uint64_t s[4]; } rng_state;

#define RNG_GAMMA UINT64_C(0x9e3779b97f4a7c15)

/* The next value of SplitMix64 from state *x, which it advances */
uint64_t rng_splitmix64(uint64_t *x);
/* Seed g (non-NULL) for stream number stream of seed: independent streams */
void rng_stream(rng_state *g, uint64_t seed, uint64_t stream);
/* A standard normal deviate from g (non-NULL) by inversion of a uniform on (0, 1) */
double rng_normal(rng_state *g);
/* x rotated left by k, 0 < k < 64 */
static inline uint64_t rng_rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

/* The next 64 random bits of xoshiro256** g, which it advances */
static inline uint64_t rng_next(rng_state *g)
{
    uint64_t *s = g->s;
    const uint64_t result = rng_rotl(s[1] * 5, 7) * 9;
    const uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rng_rotl(s[3], 45);
    return result;
}
/* A uniform integer in [0, n) for n >= 1 (Lemire's method); advances g */
static inline uint32_t rng_below(rng_state *g, uint32_t n)
{
    uint64_t m = (rng_next(g) >> 32) * (uint64_t)n;
    uint32_t low = (uint32_t)m;
    if (low < n) {
        uint32_t t = (0u - n) % n;
        while (low < t) {
            m = (rng_next(g) >> 32) * (uint64_t)n;
            low = (uint32_t)m;
        }
    }
    return (uint32_t)(m >> 32);
}
/* A uniform double in [0, 1) with 53 random bits; advances g */
static inline double rng_uniform(rng_state *g)
{
    return (double)(rng_next(g) >> 11) * 0x1.0p-53;
}
#endif
