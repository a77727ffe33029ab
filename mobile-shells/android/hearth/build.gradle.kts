// The library module the app links: libhearth_ffi.so for arm64-v8a,
// armeabi-v7a and x86_64 (built by ../build-jni-libs into
// src/main/jniLibs, not committed), JNA's Android build that loads it, and
// the generated Kotlin bindings (:bindings).
plugins {
    alias(libs.plugins.android.library)
}

android {
    namespace = "app.hearth.ffi"
    compileSdk = 36

    defaultConfig {
        minSdk = 26
        consumerProguardFiles("consumer-rules.pro")
    }

    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_17
        targetCompatibility = JavaVersion.VERSION_17
    }
}

val jniLibs = file("src/main/jniLibs")
tasks.named("preBuild") {
    doFirst {
        val abis = listOf("arm64-v8a", "armeabi-v7a", "x86_64")
        val missing = abis.filterNot { file("$jniLibs/$it/libhearth_ffi.so").isFile }
        check(missing.isEmpty()) {
            "libhearth_ffi.so is missing for ${missing.joinToString()}: run mobile-shells/android/build-jni-libs first."
        }
    }
}

dependencies {
    api(project(":bindings"))
    // The aar carries JNA's own native dispatch library for each ABI.
    api("net.java.dev.jna:jna:${libs.versions.jna.get()}@aar")
}
