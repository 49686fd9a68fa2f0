# SPDX-License-Identifier: GPL-3.0-or-later
# One fuzz test (tests/fuzz/CMakeLists.txt): the inputs the last run found are dropped first, so
# every run starts from the committed corpus and tries the same number of inputs (-runs) from the
# same -seed on any machine. Crashes and slow inputs stay in FOUND (crash-…, timeout-…).
#   cmake -DFUZZER=… -DNAME=… -DRUNS=… -DSECONDS=… -DSEED=… -DFOUND=… -DCORPUS=… -P run-fuzzer.cmake
file(REMOVE_RECURSE "${FOUND}/new")
file(MAKE_DIRECTORY "${FOUND}/new")
execute_process(COMMAND "${FUZZER}" -runs=${RUNS} -max_total_time=${SECONDS} -timeout=10
                        -seed=${SEED} -rss_limit_mb=2048 -print_final_stats=1
                        -artifact_prefix=${FOUND}/ "${FOUND}/new" "${CORPUS}"
                RESULT_VARIABLE rc
                OUTPUT_VARIABLE out ECHO_OUTPUT_VARIABLE
                ERROR_VARIABLE err ECHO_ERROR_VARIABLE)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "fuzz_${NAME} failed (${rc}): see above; the input is in ${FOUND}/")
endif()
# The time cap is a safety net: a pass it stopped did less than the others (say so).
if("${out}${err}" MATCHES "stat::number_of_executed_units: ([0-9]+)")
    set(executed ${CMAKE_MATCH_1})
    # The corpus replay counts as runs too: short of RUNS, only the cap can have stopped it.
    if(executed LESS RUNS)
        message(WARNING "fuzz_${NAME}: stopped by the ${SECONDS} s cap after ${executed} of "
                        "${RUNS} runs: this machine is much slower than the one RUNS was set on")
    endif()
endif()
