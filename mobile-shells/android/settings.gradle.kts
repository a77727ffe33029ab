// Hearth for Android. Modules:
//   :bindings  the generated Kotlin bindings of hearth-ffi (plain JVM Kotlin on JNA)
//   :hearth    the Android library: libhearth_ffi.so for each ABI, JNA's Android build, and :bindings
//   :state     the state holders (plain Kotlin, no android.*), tested on the JVM
//   :app       the Jetpack Compose app
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
include(":bindings", ":hearth", ":state", ":app")
