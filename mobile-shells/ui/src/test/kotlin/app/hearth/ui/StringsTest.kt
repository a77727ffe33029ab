package app.hearth.ui

import org.junit.Assert.assertEquals
import org.junit.Test

/** The generated string table: plurals choose their form, and a sentence never starts in lower case. */
class StringsTest {
    @Test
    fun pluralsAgreeWithTheirCount() {
        assertEquals("1 change waiting to be sent", Strings.settingsPending(1))
        assertEquals("3 changes waiting to be sent", Strings.settingsPending(3))
        assertEquals("1 idea in the jar", Strings.usDateJarCount(1))
        assertEquals("0 ideas in the jar", Strings.usDateJarCount(0))
        assertEquals("1 entry found", Strings.journalResults(1))
    }

    @Test
    fun anUnnamedPartnerStartsASentenceInCapitals() {
        assertEquals("Your partner hasn't answered yet.", Strings.todayPartnerNotYet(Strings.yourPartnerStart))
        assertEquals("Waiting for your partner…", Strings.drillWaiting(Strings.yourPartner))
    }

    @Test
    fun escapesAreUndone() {
        assertEquals("That can't be saved as it is. Check it and try again.", Strings.problemInvalidInput)
        assertEquals("Ask your partner to choose \"Enter a code\" and type this:", Strings.pairingShowCodeHelp)
    }
}
