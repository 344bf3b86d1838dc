// main_test.cpp — the doctest entry point for lifebuoy-unit-tests (every tests/unit/*_test.cpp).
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
