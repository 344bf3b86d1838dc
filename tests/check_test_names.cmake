# check_test_names.cmake — every doctest TEST_CASE name must survive CTest's discovery
# (doctest_discover_tests): a ';' in a name splits it into several CTest entries whose -tc filters
# match no test case, so they run nothing and pass. 63 cases were silently skipped that way until
# 2026-12-05. Run as a test: cmake -DTESTS_DIR=<tests/> -P check_test_names.cmake
file(GLOB_RECURSE sources "${TESTS_DIR}/unit/*.cpp" "${TESTS_DIR}/unit/*.h"
                          "${TESTS_DIR}/server/*.cpp" "${TESTS_DIR}/server/*.h")
set(offenders 0)
foreach(source IN LISTS sources)
  file(READ "${source}" content)
  # [^\"\n]* stays inside one name (a name with an escaped quote before its ';' is still caught by
  # the names after it: good enough for a guard that names the file).
  if(content MATCHES "TEST_CASE\\(\"[^\"\n]*;")
    message(SEND_ERROR "${source}: a TEST_CASE name contains ';' — CTest would split it and run nothing; use ','")
    math(EXPR offenders "${offenders} + 1")
  endif()
endforeach()
list(LENGTH sources count)
if(offenders GREATER 0)
  message(FATAL_ERROR "${offenders} file(s) with ';' in a TEST_CASE name")
endif()
message(STATUS "${count} test sources: every TEST_CASE name is one CTest entry")
