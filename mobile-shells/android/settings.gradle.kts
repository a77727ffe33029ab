// Hearth for Android. Modules:
//   :bindings  the generated Kotlin bindings of hearth-ffi (plain JVM Kotlin on JNA)
//   :hearth    the Android library: libhearth_ffi.so for each ABI, JNA's Android build, and :bindings
//   :state     the state holders (plain Kotlin, no android.*), tested on the JVM
//   :ui        the shared Compose screens (../ui, also built for the desktop with Maven)
//   :app       the Jetpack Compose app: the activity, the platform effects, background sync
// Run ./build-jni-libs first: it builds the native libraries and generates the bindings.
pluginManagement {
    repositories {
        google()
        mavenCentral()
        gradlePluginPortal()
    }
}

dependencyResolutionManagement {
    repositoriesMode.set(RepositoriesMode.FAIL_ON_PROJECT_REPOS)
    repositories {
        google()
        mavenCentral()
    }
}

rootProject.name = "hearth-android"
include(":bindings", ":hearth", ":state", ":ui", ":app")
