# ProjectWarnings.cmake — lb_project_options(target): the flags every target of ours gets.
# Project code builds with -Wall -Wextra -Werror (third-party targets do not call this), and with
# ASan + UBSan (and libFuzzer coverage instrumentation) in the sanitized sub-build.
function(lb_project_options target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Werror -Wshadow
                         -Wnon-virtual-dtor -Wconversion -Wno-sign-conversion)
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    # g++ 12 at -O3 reports impossible memcpy overlaps in std::string's operator+ (GCC bug 105329)
    target_compile_options(${target} PRIVATE -Wno-restrict)
  endif()
  if(LB_SUBBUILD STREQUAL "sanitized")
    # fuzzer-no-link: coverage instrumentation in every library, so libFuzzer sees inside them
    target_compile_options(${target} PRIVATE -fsanitize=address,undefined -fno-sanitize-recover=all
                           -fno-omit-frame-pointer -fsanitize=fuzzer-no-link)
    target_link_options(${target} PRIVATE -fsanitize=address,undefined)
  endif()
endfunction()
