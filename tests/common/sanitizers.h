// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// HIVELAB_UNDER_ASAN is 1 in an AddressSanitizer build (tests/run-sanitized.sh). Tests whose
// bounds are time or memory figures of the normal build skip those bounds there: ASan makes code
// 5-10x slower and its quarantine keeps freed memory resident. The normal build holds them.
#if defined(__SANITIZE_ADDRESS__)
#define HIVELAB_UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HIVELAB_UNDER_ASAN 1
#endif
#endif
#ifndef HIVELAB_UNDER_ASAN
#define HIVELAB_UNDER_ASAN 0
#endif
