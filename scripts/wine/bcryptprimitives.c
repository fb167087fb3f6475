/* A stand-in for bcryptprimitives.dll, only for running Timebridge's Windows build under
 * Debian 12's wine 8, which lacks that DLL. Rust's standard library (1.78 and later) takes
 * its random numbers from ProcessPrng in it; every supported Windows (10 and later) has it.
 * This answers ProcessPrng from advapi32's RtlGenRandom (SystemFunction036). It is built by
 * scripts/windows-cli.sh next to the test's copy of the program and never shipped. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length) {
    while (length > 0) {
        ULONG chunk = length > 0x40000000 ? 0x40000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk)) {
            return FALSE;
        }
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
