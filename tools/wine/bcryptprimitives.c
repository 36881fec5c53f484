/* A stand-in for bcryptprimitives.dll's ProcessPrng, which Wine 8 lacks (Rust's standard library imports it):
   forwards to RtlGenRandom (advapi32 SystemFunction036). Built into the Wine prefix that builds and tests the Windows bundle (tools/build_windows.py), never into the bundle. */
#include <windows.h>
BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);
__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T size) {
    while (size) {
        ULONG chunk = size > 0x7fffffff ? 0x7fffffff : (ULONG)size;
        if (!SystemFunction036(data, chunk)) return FALSE;
        data += chunk; size -= chunk;
    }
    return TRUE;
}
