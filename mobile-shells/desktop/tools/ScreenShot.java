import java.awt.Rectangle;
import java.awt.Robot;
import java.awt.Toolkit;
import java.io.File;
import javax.imageio.ImageIO;

/** Saves the whole X display as a PNG: `java ScreenShot.java out.png` (used to check the app under Xvfb). */
public class ScreenShot {
    public static void main(String[] args) throws Exception {
        var screen = new Rectangle(Toolkit.getDefaultToolkit().getScreenSize());
        ImageIO.write(new Robot().createScreenCapture(screen), "png", new File(args[0]));
    }
}
