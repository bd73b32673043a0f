/*
 * A WebKitGTK web process extension: gives the page one function,
 * `__foxtailCollect()`, that runs a full JavaScript collection at once and hands the
 * freed heap back to the system (src-tauri/src/web_extension.rs says why).
 *
 * It is C so that the app's own build script (src-tauri/build.rs) can compile it with
 * WebKitGTK's headers into a library of its own; a Rust one would need a second
 * cargo build beside the app's. It uses only JavaScriptCore's C API and WebKitGTK's
 * extension API.
 */
#include <JavaScriptCore/JavaScript.h>
#include <malloc.h>
#include <webkit2/webkit-web-extension.h>

/* Exported by JavaScriptCore (JSContextRefPrivate.h), not in its installed headers.
 * Unlike JSGarbageCollect, which only hints, it collects the whole heap before it
 * returns. */
JS_EXPORT void JSSynchronousGarbageCollectForDebugging(JSContextRef ctx);

static JSValueRef collect(JSContextRef ctx, JSObjectRef function, JSObjectRef self,
                          size_t argc, const JSValueRef argv[], JSValueRef *exception) {
  (void)function;
  (void)self;
  (void)argc;
  (void)argv;
  (void)exception;
  JSSynchronousGarbageCollectForDebugging(ctx);
#ifdef __GLIBC__
  /* Most of what a collection frees goes back to WebKit's own allocator, which returns
   * its pages itself; the rest goes to glibc's heap, which keeps its free pages until
   * asked. */
  malloc_trim(0);
#endif
  return JSValueMakeUndefined(ctx);
}

static void window_object_cleared(WebKitScriptWorld *world, WebKitWebPage *page,
                                  WebKitFrame *frame, gpointer data) {
  (void)page;
  (void)data;
  if (!webkit_frame_is_main_frame(frame))
    return;
  /* Deprecated for the GObject wrapper, which cannot make a function that is given
   * the calling context; this one still works in every 4.1 release. */
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  JSGlobalContextRef ctx = webkit_frame_get_javascript_context_for_script_world(frame, world);
  G_GNUC_END_IGNORE_DEPRECATIONS
  JSStringRef name = JSStringCreateWithUTF8CString("__foxtailCollect");
  JSObjectRef fn = JSObjectMakeFunctionWithCallback(ctx, name, collect);
  JSObjectSetProperty(ctx, JSContextGetGlobalObject(ctx), name, fn,
                      kJSPropertyAttributeReadOnly | kJSPropertyAttributeDontEnum |
                          kJSPropertyAttributeDontDelete,
                      NULL);
  JSStringRelease(name);
}

G_MODULE_EXPORT void webkit_web_extension_initialize(WebKitWebExtension *extension) {
  (void)extension;
  g_signal_connect(webkit_script_world_get_default(), "window-object-cleared",
                   G_CALLBACK(window_object_cleared), NULL);
}
