# WasmModules.cmake — the two WebAssembly modules (Emscripten sub-build only).
#   engine  runs in a dedicated Worker (web/engine-worker.js): createLifebuoyEngine()
#   ui      runs on the page's main thread, draws into #canvas with WebGL2: createLifebuoyUi()
# (and, in the bench configuration, the bench-only bench/crypto_wasm module: not shipped)
# Release builds are optimised for size (-Oz) and the two share nothing at run time but messages.
set(_size_flags "$<$<CONFIG:Release>:-Oz>" "$<$<CONFIG:Release>:-flto>")

add_executable(engine engine/platform/engine_worker_exports.cpp engine/platform/opfs_file_slots.cpp)
target_link_libraries(engine PRIVATE lb::engine)
lb_project_options(engine)
target_compile_options(engine PRIVATE ${_size_flags})
# 80 MB at start: Argon2id's 64 MiB block (signing in, setting a passphrase) fits without growing
# the heap; pages are only backed once written (bench/crypto_browser_bench.mjs: first unlock p95
# 681 → 617 ms against a 16 MB start).
target_link_options(engine PRIVATE ${_size_flags}
  -sMODULARIZE=1 -sEXPORT_NAME=createLifebuoyEngine -sENVIRONMENT=worker
  -sALLOW_MEMORY_GROWTH=1 -sINITIAL_MEMORY=80MB -sTOTAL_STACK=2MB
  "-sEXPORTED_FUNCTIONS=['_malloc','_free']"
  "-sEXPORTED_RUNTIME_METHODS=['UTF8ToString','stringToUTF8','lengthBytesUTF8']")

add_executable(ui
  ui/portal_app.cpp ui/font_book.cpp ui/input_queue.cpp ui/test_hooks.cpp ui/theme.cpp ui/text_field_map.cpp ui/wrapped_text_field.cpp ui/rich_text.cpp ui/markdown_view.cpp ui/knowledge_panel.cpp
  ui/knowledge_screen.cpp ui/ticket_form.cpp ui/ticket_screens.cpp ui/ticket_resolution.cpp ui/sign_in.cpp ui/account_screen.cpp ui/queue_screen.cpp ui/dashboard_screen.cpp ui/ticket_work.cpp ui/ticket_history.cpp
  ui/platform/browser_main.cpp ui/platform/browser_canvas.cpp ui/platform/browser_input.cpp
  ui/platform/browser_engine_channel.cpp ui/platform/browser_fonts.cpp ui/platform/browser_test_bridge.cpp)
target_link_libraries(ui PRIVATE lb::commands lb::imgui)
lb_project_options(ui)
target_compile_options(ui PRIVATE ${_size_flags})
target_link_options(ui PRIVATE ${_size_flags}
  -sMODULARIZE=1 -sEXPORT_NAME=createLifebuoyUi -sENVIRONMENT=web
  -sMIN_WEBGL_VERSION=2 -sMAX_WEBGL_VERSION=2
  -sALLOW_MEMORY_GROWTH=1 -sINITIAL_MEMORY=32MB -sTOTAL_STACK=2MB
  "-sEXPORTED_FUNCTIONS=['_main','_malloc','_free']"
  "-sEXPORTED_RUNTIME_METHODS=['ccall','UTF8ToString','stringToUTF8','lengthBytesUTF8']")

# Bench-only modules (never in dist/): only in the configuration `./dev bench` builds — Release
# without the UI test hooks — into <build>/wasm/bench/.
if(CMAKE_BUILD_TYPE STREQUAL "Release" AND NOT LB_UI_TEST_HOOKS)
  add_subdirectory("${CMAKE_SOURCE_DIR}/bench/crypto_wasm" "${CMAKE_BINARY_DIR}/bench/crypto_wasm")
endif()
