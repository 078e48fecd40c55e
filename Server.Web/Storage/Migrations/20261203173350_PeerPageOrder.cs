using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Punch.Server.Storage.Migrations
{
    /// <inheritdoc />
    public partial class PeerPageOrder : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Peers_Online",
                table: "Peers");

            migrationBuilder.CreateIndex(
                name: "IX_Peers_Online_Network_Name",
                table: "Peers",
                columns: new[] { "Online", "Network", "Name" },
                descending: new[] { true, false, false });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Peers_Online_Network_Name",
                table: "Peers");

            migrationBuilder.CreateIndex(
                name: "IX_Peers_Online",
                table: "Peers",
                column: "Online");
        }
    }
}
