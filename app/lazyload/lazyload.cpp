// SPDX-License-Identifier: GPL-3.0-or-later
// Loads a library on the first call into it, for the stubs gen-stubs.sh writes.
//
// `hivelab` and its window module call libcrypto (SSH, TLS certificates), Qt Network (discovery,
// downloads) and QtKeychain (passwords) only once the user works with boards; linked as usual,
// all three were loaded (with Kerberos, GSSAPI and libproxy behind Qt Network) before the
// window's first frame: 8 M of its 136 M instructions on the GUI thread. Linked through the stubs
// instead, the binaries do not name them (DT_NEEDED) and the first call loads the library. Each
// stub then jumps straight to its function. x86-64 only; elsewhere, and under the sanitizers,
// the libraries are linked as usual (app/CMakeLists.txt).
#include <dlfcn.h>

#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <mutex>

namespace {

// Laid out by gen-stubs.sh, one per library.
struct LazyLibrary
{
    const char *soname;
    const char *const *names;
    void **slots;
    void *handle;
};

[[noreturn]] void fail(const char *what, const char *name)
{
    const char *why = dlerror();
    std::fprintf(stderr, "hivelab: cannot load %s: %s\n", name, why ? why : what);
    std::abort();
}

} // namespace

// Called by a stub's first call, on whichever thread makes it; two threads may both resolve the
// same function, and both store the same address.
extern "C" __attribute__((visibility("hidden"))) void *hl_lazy_resolve(LazyLibrary *library,
                                                                       std::size_t index)
{
    void *handle = __atomic_load_n(&library->handle, __ATOMIC_ACQUIRE);
    if (!handle) {
        static std::mutex mutex;
        const std::lock_guard<std::mutex> lock(mutex);
        handle = library->handle;
        if (!handle) {
            handle = dlopen(library->soname, RTLD_LAZY | RTLD_LOCAL);
            if (!handle)
                fail("not found", library->soname);
            __atomic_store_n(&library->handle, handle, __ATOMIC_RELEASE);
        }
    }
    void *function = dlsym(handle, library->names[index]);
    if (!function)
        fail("symbol not found", library->names[index]);
    __atomic_store_n(&library->slots[index], function, __ATOMIC_RELEASE);
    return function;
}
